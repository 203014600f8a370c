// gradflow's kernels for the wasm backend (missing or slow in tfjs-backend-wasm 4.22) and the
// gradients tfjs-core lacks. Registered once, before the backend is first used.
import * as tf from '@tensorflow/tfjs';
// Loaded first so its stock kernels are in the registry before ours replace them (a later
// import would silently put the stock Conv2DBackpropInput back).
import '@tensorflow/tfjs-backend-wasm';
import { batchNormTrainingGradConfig } from '../../batch_norm_training.js';
import { stridedSliceGradConfig } from '../../gradients/StridedSlice_grad.js';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';
import { depthwiseBackpropFilterConfig } from './kernels/DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseBackpropInputConfig } from './kernels/DepthwiseConv2dNativeBackpropInput.js';
import { batchNormConfig } from './kernels/GradflowBatchNorm.js';
import { batchNormGradConfig } from './kernels/GradflowBatchNormGrad.js';
import { movingAveragesConfig } from './kernels/GradflowMovingAverages.js';
import { sgdMomentumConfig } from './kernels/GradflowSgdMomentum.js';
import { identityConfig } from './kernels/Identity.js';
import { unsortedSegmentSumConfig } from './kernels/UnsortedSegmentSum.js';

export const wasmKernels: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  unsortedSegmentSumConfig,
  identityConfig,
  batchNormConfig,
  batchNormGradConfig,
  sgdMomentumConfig,
  movingAveragesConfig,
];

// The batch-norm gradient is shared with the native backend: same kernel names and contract.
export const gradients: tf.GradConfig[] = [stridedSliceGradConfig, batchNormTrainingGradConfig];

let registered = false;

export function registerKernels(): void {
  if (registered) return;
  registered = true;
  for (const k of wasmKernels) {
    // Replacing a stock kernel (Conv2DBackpropInput): unregister first, else tfjs warns.
    if (tf.getKernel(k.kernelName, k.backendName) != null) tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel(k);
  }
  for (const g of gradients) {
    if (tf.getGradient(g.kernelName) != null) tf.unregisterGradient(g.kernelName);
    tf.registerGradient(g);
  }
}
