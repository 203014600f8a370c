// FusedBatchNorm (tf.batchNorm, inference mode) with per-channel statistics on oneDNN.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';
import { channelVector, rowsGeometry } from './batch_norm_utils.js';

export const fusedBatchNorm: NativeKernel = {
  kernelName: tf.FusedBatchNorm,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x, mean, variance, offset, scale } = inputs as Record<string, tf.TensorInfo | undefined>;
    if (!x || x.shape.length < 2) return null;
    const [n, hw, c] = rowsGeometry(x.shape);
    const vectorOr = (t: tf.TensorInfo | undefined, fill: number) =>
      t ? channelVector(backend, t, c) : new Float32Array(c).fill(fill);
    const xs = f32(backend, x);
    const means = vectorOr(mean, 0);
    const variances = vectorOr(variance, 1);
    const offsets = vectorOr(offset, 0);
    const scales = vectorOr(scale, 1);
    if (!xs || !mean || !variance || !means || !variances || !offsets || !scales) return null;
    const y = output(backend, x.shape.slice());
    const epsilon = (attrs.varianceEpsilon as number | undefined) ?? 0.001;
    addon.batchNorm(xs, scales, offsets, y.values, means, variances, Int32Array.from([n, hw, c, 0]), epsilon);
    return y.info;
  },
};
