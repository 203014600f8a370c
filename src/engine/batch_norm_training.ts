// The custom batch-norm op gradflow trains with, in one place: its two kernel names and their
// contract, the gradient, and the op a model calls. Each backend registers kernels of these names
// (backends/native/kernels, backends/wasm/kernels); elsewhere ops.ts computes the same maths from tf ops.
//  - `GradflowBatchNorm` (inputs x, scale, offset; attrs epsilon): normalises over every axis but the last with
//    the batch's statistics and returns [y, mean, variance] (biased variance, as tf.moments). Its registered
//    gradient flows to x, scale and offset through y only: mean and variance are for running averages.
//  - `GradflowBatchNormGrad` (dy, x, scale, mean, variance -> dx, dscale, doffset).
import * as tf from '@tensorflow/tfjs';

export const BATCH_NORM_KERNEL = 'GradflowBatchNorm';
export const BATCH_NORM_GRAD_KERNEL = 'GradflowBatchNormGrad';

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
 * Training-mode batch norm over all axes but the last as one kernel: y plus the batch statistics (for
 * running averages; no gradient flows through them). Needs a backend that registers the kernel.
 */
export function batchNormTrainingKernel(
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
