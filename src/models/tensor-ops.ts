// Adapters from the context's ops to src/engine/ops.ts (fused batch-norm gradient, cheap option-A
// subsampling), covering the vector (mlp) case those kernels leave out.
import * as tf from '@tensorflow/tfjs';
import { batchNorm, padChannels as padChannels4d, subsample2 } from '../engine/ops.js';

export const BN_EPSILON = 1e-5;

/** Batch-statistics normalisation over every axis but the channels (last); biased variance. */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = BN_EPSILON) {
  return batchNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps);
}

/** Keep every `stride`-th row and column (option A shortcut), giving ceil(H / stride). */
export function subsample(x: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (stride === 1) return x;
  if (stride === 2) return subsample2(x);
  return tf.avgPool(x, 1, stride, 'valid'); // a 1x1 window selects exactly those pixels
}

/** Zero-pad the last axis to `channels`, split evenly before and after (as common option A code does). */
export function padChannels(x: tf.Tensor, channels: number): tf.Tensor {
  const extra = channels - x.shape[x.rank - 1];
  if (extra === 0) return x;
  const before = Math.floor(extra / 2);
  if (x.rank === 4) return padChannels4d(x as tf.Tensor4D, before, extra - before);
  const pads = x.shape.map((): [number, number] => [0, 0]);
  pads[x.rank - 1] = [before, extra - before];
  return tf.pad(x, pads);
}
