// GradflowMovingAverages on wasm: one pass over a layer's channels on the wasm heap.
import {
  MOVING_AVERAGES_KERNEL,
  movingAveragesUpdate,
  type MovingAveragesAttrs,
} from '../../../moving_averages.js';
import { elementwiseKernelConfig } from '../elementwise_kernel.js';

export const movingAveragesConfig = elementwiseKernelConfig(
  MOVING_AVERAGES_KERNEL,
  ['mean', 'variance', 'batchMean', 'batchVariance'],
  2,
  ([m, v, bm, bv], [mOut, vOut], attrs) =>
    movingAveragesUpdate(m, v, bm, bv, mOut, vOut, attrs as unknown as MovingAveragesAttrs),
);
