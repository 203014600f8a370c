// GradflowMovingAverages on the cpu backend and on native (built on it): one pass over a layer's channels.
import type * as tf from '@tensorflow/tfjs';
import {
  MOVING_AVERAGES_KERNEL,
  movingAveragesUpdate,
  type MovingAveragesAttrs,
} from '../../../moving_averages.js';
import { elementwiseKernelConfig } from '../elementwise_kernel.js';

export const movingAveragesConfig = (backendName: string): tf.KernelConfig =>
  elementwiseKernelConfig(
    MOVING_AVERAGES_KERNEL,
    backendName,
    ['mean', 'variance', 'batchMean', 'batchVariance'],
    2,
    ([m, v, bm, bv], [mOut, vOut], attrs) =>
      movingAveragesUpdate(m, v, bm, bv, mOut, vOut, attrs as unknown as MovingAveragesAttrs),
  );
