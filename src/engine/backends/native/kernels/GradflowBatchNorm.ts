// GradflowBatchNorm on oneDNN: training-mode batch norm and the batch statistics in one call.
import { BATCH_NORM_KERNEL } from '../../../batch_norm_training.js';
import type { NativeKernel } from '../kernel.js';
import { batchNormForward } from './batch_norm_utils.js';

export const batchNormTraining: NativeKernel = {
  kernelName: BATCH_NORM_KERNEL,
  run: (args) => batchNormForward(args, BATCH_NORM_KERNEL, false),
};
