// Batch normalization as native kernels, so that a training step's normalisation and its whole gradient are
// one oneDNN call each instead of a dozen broadcasting tensor ops.
//  - `GradflowBatchNorm` (inputs x, scale, offset; attrs epsilon): normalises over every axis but the last with
//    the batch's statistics and returns [y, mean, variance] (biased variance, as tf.moments). Its registered
//    gradient flows to x, scale and offset through y only: mean and variance are for running averages.
//  - `FusedBatchNorm` (tf.batchNorm) with per-channel statistics runs natively too (inference mode).
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from './kernel.js';
import { f32, output, size } from './tensors.js';

export const BATCH_NORM_KERNEL = 'GradflowBatchNorm';
export const BATCH_NORM_GRAD_KERNEL = 'GradflowBatchNormGrad';

/** [n, hw, c]: rows split in two so oneDNN parallelises over both (any split gives the same statistics). */
function rowsGeometry(shape: number[]): [number, number, number] {
  const c = shape[shape.length - 1];
  const n = shape.length > 1 ? shape[0] : 1;
  return [n, size(shape.slice(1, -1)), c];
}

function channelVector(backend: Parameters<typeof f32>[0], t: tf.TensorInfo | undefined, c: number) {
  const values = f32(backend, t);
  return values && values.length === c ? values : null;
}

export const batchNormTraining: NativeKernel = {
  kernelName: BATCH_NORM_KERNEL,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x, scale, offset } = inputs;
    const epsilon = attrs.epsilon as number;
    const [n, hw, c] = rowsGeometry(x.shape);
    const xs = f32(backend, x);
    const scales = channelVector(backend, scale, c);
    const offsets = channelVector(backend, offset, c);
    if (!xs || !scales || !offsets) {
      throw new Error(
        `${BATCH_NORM_KERNEL}: x must be float32 and scale/offset float32 vectors of ${c} channels`,
      );
    }
    const y = output(backend, x.shape.slice());
    const mean = output(backend, [c]);
    const variance = output(backend, [c]);
    const geometry = Int32Array.from([n, hw, c, 1]);
    addon.batchNorm(xs, scales, offsets, y.values, mean.values, variance.values, geometry, epsilon);
    return [y.info, mean.info, variance.info];
  },
};

export const batchNormTrainingGrad: NativeKernel = {
  kernelName: BATCH_NORM_GRAD_KERNEL,
  run: ({ inputs, backend, attrs, addon }) => {
    const { dy, x, scale, mean, variance } = inputs;
    const [n, hw, c] = rowsGeometry(x.shape);
    const arrays = [
      f32(backend, dy),
      f32(backend, x),
      ...[scale, mean, variance].map((t) => channelVector(backend, t, c)),
    ];
    if (arrays.some((a) => a === null)) throw new Error(`${BATCH_NORM_GRAD_KERNEL}: inputs must be float32`);
    const [dys, xs, scales, means, variances] = arrays as Float32Array[];
    const dx = output(backend, x.shape.slice());
    const dscale = output(backend, [c]);
    const doffset = output(backend, [c]);
    const epsilon = attrs.epsilon as number;
    addon.batchNormBackward(
      dys,
      xs,
      scales,
      means,
      variances,
      dx.values,
      dscale.values,
      doffset.values,
      Int32Array.from([n, hw, c]),
      epsilon,
    );
    return [dx.info, dscale.info, doffset.info];
  },
};

/**
 * Gradient of GradflowBatchNorm: one native call gives all three input gradients. It runs when the gradient
 * function is called (inside the backprop's own tidy), not in the per-input closures, which the tape wraps in
 * separate tidies: results shared between closures would otherwise be disposed after the first one.
 */
export const batchNormTrainingGradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_KERNEL,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const [x, scale, mean, variance] = saved;
    const [dx, dscale, doffset] = tf.engine().runKernel(
      BATCH_NORM_GRAD_KERNEL,
      { dy, x, scale, mean, variance },
      {
        epsilon: attrs.epsilon as number,
      },
    ) as tf.Tensor[];
    return { x: () => dx, scale: () => dscale, offset: () => doffset };
  },
};

/**
 * Training-mode batch norm over all axes but the last, on the native backend: y plus the batch statistics
 * (for running averages; no gradient flows through them). Only registered on `native`.
 */
export function nativeBatchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [y, mean, variance] = tf
    .engine()
    .runKernel(BATCH_NORM_KERNEL, { x, scale, offset }, { epsilon }) as tf.Tensor[];
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

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
