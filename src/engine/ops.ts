// Building-block ops for the model code whose stock TF.js forms are slow or lack gradients:
// training-mode batch norm with a fused gradient, option-A subsampling and channel padding.
import * as tf from '@tensorflow/tfjs';
import { batchNormTrainingKernel, hasBatchNormKernel } from './batch_norm_training.js';

export interface BatchNormResult {
  y: tf.Tensor;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Training-mode batch norm over every axis but the last (NHWC activations or [N, C] features).
 * Returns the batch mean and (biased) variance for moving-average updates; no gradient flows
 * through them. The gradient is one fused expression per input, because tfjs's own batch-norm
 * gradient goes through Tile and costs ~130 ms a layer at batch 128 on wasm.
 * On wasm and native this is one kernel each way (GradflowBatchNorm / GradflowBatchNormGrad);
 * elsewhere the same maths from tf ops.
 */
export function batchNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): BatchNormResult {
  if (x.rank < 2) throw new Error(`batchNorm: input must have rank >= 2, got shape [${x.shape}]`);
  const channels = x.shape[x.rank - 1];
  if (gamma.size !== channels || beta.size !== channels) {
    throw new Error(
      `batchNorm: gamma/beta have ${gamma.size}/${beta.size} entries, the input's last axis has ${channels}`,
    );
  }
  if (x.dtype === 'float32' && hasBatchNormKernel()) return batchNormTrainingKernel(x, gamma, beta, eps);
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / channels;
  // The engine's multi-output kernel form: tf.customGrad allows only one output, and recomputing
  // the moments outside would cost two more passes over the activations.
  const engine = tf.engine() as unknown as { runKernelFunc: (params: unknown) => tf.Tensor | tf.Tensor[] };
  const outputs = engine.runKernelFunc({
    forwardFunc: (_backend: unknown, save?: (ts: tf.Tensor[]) => void) => {
      const mean = tf.mean(x, axes);
      const variance = tf.mean(tf.squaredDifference(x, mean), axes);
      const invStd = tf.rsqrt(tf.add(variance, eps));
      const scale = tf.mul(gamma, invStd);
      const shift = tf.sub(beta, tf.mul(mean, scale));
      const y = tf.add(tf.mul(x, scale), shift);
      save?.([x, gamma, mean, invStd]);
      return [y, mean, variance];
    },
    backwardsFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const dy = Array.isArray(dys) ? dys[0] : dys;
      const [xs, g, mean, invStd] = saved;
      // dbeta = sum(dy); dgamma = sum(dy * xhat) = (sum(dy * x) - mean * sum(dy)) * invStd;
      // dx = g * invStd * (dy - dbeta / n - xhat * dgamma / n), folded into dx = dy * a + x * b + c.
      const dBeta = tf.sum(dy, axes);
      const dyX = tf.sum(tf.mul(dy, xs), axes);
      const dGamma = tf.mul(tf.sub(dyX, tf.mul(mean, dBeta)), invStd);
      const a = tf.mul(g, invStd);
      const b = tf.neg(tf.mul(a, tf.mul(dGamma, tf.div(invStd, count))));
      const c = tf.sub(tf.neg(tf.mul(a, tf.div(dBeta, count))), tf.mul(b, mean));
      const dx = tf.add(tf.add(tf.mul(dy, a), tf.mul(xs, b)), c);
      return { 0: () => dx, 1: () => dGamma, 2: () => dBeta };
    },
    inputs: { 0: x, 1: gamma, 2: beta },
  }) as tf.Tensor[];
  const [y, mean, variance] = outputs;
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** x[:, ::2, ::2, :] (option-A shortcut subsampling) with a cheap gradient. */
export function subsample2(x: tf.Tensor4D): tf.Tensor4D {
  // A 1x1 average pool with stride 2 is exactly this selection; its gradient (AvgPoolGrad)
  // is a native kernel on every backend, unlike StridedSlice's.
  return tf.avgPool(x, 1, 2, 'valid');
}

/** Zero-pads the channel (last) axis by `before` and `after` channels, with gradient. */
export function padChannels(x: tf.Tensor4D, before: number, after: number): tf.Tensor4D {
  if (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0) {
    throw new Error(`padChannels: before/after must be non-negative integers, got ${before}/${after}`);
  }
  if (before === 0 && after === 0) return x;
  return tf.pad(x, [
    [0, 0],
    [0, 0],
    [0, 0],
    [before, after],
  ]);
}
