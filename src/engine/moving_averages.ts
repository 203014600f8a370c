// Batch norm's moving statistics as one kernel per layer and step:
//   mean' = momentum·mean + (1 − momentum)·batchMean
//   variance' = momentum·variance + (1 − momentum)·unbias·batchVariance   (unbias = n / (n − 1))
// From tf ops this is eight kernel calls per layer (a fifth of all calls in a small net's step, each
// paying the engine's dispatch); here it is one. Each float32 operation is rounded as the tf ops round
// it, so both paths give the same bits.
import * as tf from '@tensorflow/tfjs';

export const MOVING_AVERAGES_KERNEL = 'GradflowMovingAverages';

export interface MovingAveragesAttrs {
  momentum: number;
  unbias: number;
}

/** The update over flat arrays of one layer's channels. */
export function movingAveragesUpdate(
  mean: Float32Array,
  variance: Float32Array,
  batchMean: Float32Array,
  batchVariance: Float32Array,
  meanOut: Float32Array,
  varianceOut: Float32Array,
  { momentum, unbias }: MovingAveragesAttrs,
): void {
  const f = Math.fround;
  // The scalars as tf.mul(x, scalar) sees them: float32 tensors of the JavaScript numbers.
  const [keep, take, correction] = [f(momentum), f(1 - momentum), f(unbias)];
  for (let i = 0; i < mean.length; i++) {
    meanOut[i] = f(f(mean[i] * keep) + f(batchMean[i] * take));
    const unbiased = unbias === 1 ? batchVariance[i] : f(batchVariance[i] * correction);
    varianceOut[i] = f(f(variance[i] * keep) + f(unbiased * take));
  }
}

/** Whether the current backend runs the update as one kernel. */
export const hasMovingAveragesKernel = (): boolean =>
  tf.getKernel(MOVING_AVERAGES_KERNEL, tf.getBackend()) != null;

/** [mean', variance'] of one layer. */
export function movingAveragesStep(
  mean: tf.Tensor,
  variance: tf.Tensor,
  batchMean: tf.Tensor,
  batchVariance: tf.Tensor,
  attrs: MovingAveragesAttrs,
): [tf.Tensor, tf.Tensor] {
  return tf
    .engine()
    .runKernel(MOVING_AVERAGES_KERNEL, { mean, variance, batchMean, batchVariance }, { ...attrs }) as [
    tf.Tensor,
    tf.Tensor,
  ];
}
