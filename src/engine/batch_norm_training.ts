// The custom batch-norm op gradflow trains with, in one place: its two kernel names and their
// contract, the gradient, and the op a model calls. Each backend registers kernels of these names
// (backends/native/kernels, backends/wasm/kernels); elsewhere ops.ts computes the same maths from tf ops.
//  - `GradflowBatchNorm` (inputs x, scale, offset; attrs epsilon): normalises over every axis but the last with
//    the batch's statistics and returns [y, mean, variance] (biased variance, as tf.moments). Its registered
//    gradient flows to x, scale and offset through y only: mean and variance are for running averages.
//  - `GradflowBatchNormGrad` (dy, x, scale, mean, variance -> dx, dscale, doffset).
//  - `GradflowBatchNormRelu` (the same inputs): max(0, batch norm) and [mean, variance, mask], where mask is
//    the ReLU's opaque bit mask (float32 storage) its gradient needs instead of a stored pre-activation.
//  - `GradflowBatchNormReluGrad` (dy, x, scale, mean, variance, mask -> dx, dscale, doffset).
//  A backend may register the ReLU pair or not: the fused op is only used where it is registered.
import * as tf from '@tensorflow/tfjs';

export const BATCH_NORM_KERNEL = 'GradflowBatchNorm';
export const BATCH_NORM_GRAD_KERNEL = 'GradflowBatchNormGrad';
export const BATCH_NORM_RELU_KERNEL = 'GradflowBatchNormRelu';
export const BATCH_NORM_RELU_GRAD_KERNEL = 'GradflowBatchNormReluGrad';

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

/** Gradient of GradflowBatchNormRelu, from the saved input, batch statistics and ReLU mask. */
export const batchNormReluTrainingGradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_RELU_KERNEL,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true, true],
  gradFunc: (dys, saved, attrs) => {
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const [x, scale, mean, variance, mask] = saved;
    const [dx, dscale, doffset] = tf
      .engine()
      .runKernel(
        BATCH_NORM_RELU_GRAD_KERNEL,
        { dy, x, scale, mean, variance, mask },
        { epsilon: attrs.epsilon as number },
      ) as tf.Tensor[];
    return { x: () => dx, scale: () => dscale, offset: () => doffset };
  },
};

/** Whether the current backend registers the kernel and its gradient is registered. */
const trainsHere = (kernelName: string): boolean =>
  tf.getKernel(kernelName, tf.getBackend()) != null && tf.getGradient(kernelName) != null;

/** Whether the current backend runs training-mode batch norm as one kernel (else: the same maths in tf ops). */
export const hasBatchNormKernel = (): boolean => trainsHere(BATCH_NORM_KERNEL);

/** Whether the current backend runs batch norm + ReLU as one kernel (else: batch norm, then tf.relu). */
export const hasBatchNormReluKernel = (): boolean => trainsHere(BATCH_NORM_RELU_KERNEL);

/**
 * max(0, training-mode batch norm) as one kernel, plus the batch statistics (for running averages). Equals
 * tf.relu of batchNormTrainingKernel's y; its gradient is the composition's. Needs a backend that registers it.
 */
export function batchNormReluTrainingKernel(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [y, mean, variance, mask] = tf
    .engine()
    .runKernel(BATCH_NORM_RELU_KERNEL, { x, scale, offset }, { epsilon }) as tf.Tensor[];
  // The mask lives on as the gradient's saved copy; this handle is not needed.
  mask.dispose();
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
