// GradflowBatchNormReluGrad on oneDNN: the gradient of batch norm + ReLU, masked by the forward pass's bits.
import { BATCH_NORM_RELU_GRAD_KERNEL } from '../../../batch_norm_training.js';
import type { NativeKernel } from '../kernel.js';
import { batchNormBackward } from './batch_norm_utils.js';

export const batchNormReluTrainingGrad: NativeKernel = {
  kernelName: BATCH_NORM_RELU_GRAD_KERNEL,
  run: (args) => batchNormBackward(args, BATCH_NORM_RELU_GRAD_KERNEL, true),
};
