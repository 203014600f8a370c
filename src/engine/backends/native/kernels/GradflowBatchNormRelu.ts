// GradflowBatchNormRelu on oneDNN: max(0, training-mode batch norm), the batch statistics and the ReLU's
// bit mask in one pass (oneDNN's fuse_norm_relu).
import { BATCH_NORM_RELU_KERNEL } from '../../../batch_norm_training.js';
import type { NativeKernel } from '../kernel.js';
import { batchNormForward } from './batch_norm_utils.js';

export const batchNormReluTraining: NativeKernel = {
  kernelName: BATCH_NORM_RELU_KERNEL,
  run: (args) => batchNormForward(args, BATCH_NORM_RELU_KERNEL, true),
};
