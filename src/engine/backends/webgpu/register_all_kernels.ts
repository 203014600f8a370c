// gradflow's kernels for TF.js's webgpu backend. Batch norm runs as ops.ts's composite of tf ops there.
import * as tf from '@tensorflow/tfjs';
import { movingAveragesConfig } from './kernels/GradflowMovingAverages.js';
import { sgdMomentumConfig } from './kernels/GradflowSgdMomentum.js';

let registered = false;

export function registerWebgpuKernels(backendName = 'webgpu'): void {
  if (registered) return;
  registered = true;
  for (const config of [sgdMomentumConfig(backendName), movingAveragesConfig(backendName)])
    tf.registerKernel(config);
}
