// GradflowBatchNorm on wasm: the batch statistics by average pooling, y = x*a + b as a 1x1 depthwise conv.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_KERNEL } from '../../../batch_norm_training.js';
import { disposeInfos, heapF32, makeF32, runWasmKernel, type TensorInfo } from '../kernel_utils.js';
import { affine, type Args, channelSums, checkInput } from './batch_norm_utils.js';

function batchNormForward(args: Args): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, scale, offset } = args.inputs as Record<string, TensorInfo>;
  const epsilon = args.attrs.epsilon as number;
  const [rows, C] = checkInput(x, BATCH_NORM_KERNEL);
  const s1 = channelSums(backend, x, rows, C);
  const means = new Float32Array(C);
  for (let c = 0; c < C; c++) means[c] = s1[c] / rows;
  const mean = makeF32(backend, [C], means);
  // Two passes (centre, then square) keep the variance accurate when |mean| >> std.
  const centred = affine(
    backend,
    x,
    new Float32Array(C).fill(1),
    means.map((m) => -m),
    rows,
  );
  const sq = runWasmKernel(backend, 'Multiply', { a: centred, b: centred }, {});
  const s2 = channelSums(backend, sq, rows, C);
  disposeInfos(backend, centred, sq);
  const vars = new Float32Array(C);
  for (let c = 0; c < C; c++) vars[c] = s2[c] / rows;
  const variance = makeF32(backend, [C], vars);
  const gamma = heapF32(backend, scale);
  const beta = heapF32(backend, offset);
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    a[c] = gamma[c] / Math.sqrt(vars[c] + epsilon);
    b[c] = beta[c] - means[c] * a[c];
  }
  const y = affine(backend, x, a, b, rows);
  return [y, mean, variance];
}

export const batchNormConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_KERNEL,
  backendName: 'wasm',
  kernelFunc: batchNormForward as unknown as tf.KernelFunc,
};
