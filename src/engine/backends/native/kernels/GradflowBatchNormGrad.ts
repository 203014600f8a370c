// GradflowBatchNormGrad on oneDNN: the gradients to x, scale and offset in one call.
import { BATCH_NORM_GRAD_KERNEL } from '../../../batch_norm_training.js';
import type { NativeKernel } from '../kernel.js';
import { batchNormBackward } from './batch_norm_utils.js';

export const batchNormTrainingGrad: NativeKernel = {
  kernelName: BATCH_NORM_GRAD_KERNEL,
  run: (args) => batchNormBackward(args, BATCH_NORM_GRAD_KERNEL, false),
};
