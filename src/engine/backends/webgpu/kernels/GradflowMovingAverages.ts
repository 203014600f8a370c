// GradflowMovingAverages on webgpu: one dispatch per statistic instead of the eight tf ops per layer.
import type * as tf from '@tensorflow/tfjs';
import { MOVING_AVERAGES_KERNEL, type MovingAveragesAttrs } from '../../../moving_averages.js';
import { ElementwiseProgram, runElementwise } from '../elementwise_program.js';

/** keep·A + take·(scale·B): the moving average of A towards the batch statistic B. */
const movingAverage = (shape: number[]) =>
  new ElementwiseProgram(
    shape,
    ['A', 'B'],
    ['keep', 'take', 'scale'],
    'A[index] * uniforms.keep + (B[index] * uniforms.scale) * uniforms.take',
    'moving_average',
  );

export const movingAveragesConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: MOVING_AVERAGES_KERNEL,
  backendName,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { mean, variance, batchMean, batchVariance } = inputs as Record<string, tf.TensorInfo>;
    const { momentum, unbias } = attrs as unknown as MovingAveragesAttrs;
    const program = movingAverage(mean.shape);
    const meanOut = runElementwise(backend, program, [mean, batchMean], [momentum, 1 - momentum, 1]);
    const varianceOut = runElementwise(
      backend,
      program,
      [variance, batchVariance],
      [momentum, 1 - momentum, unbias],
    );
    return [meanOut, varianceOut];
  },
});
