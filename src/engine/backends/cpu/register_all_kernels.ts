// gradflow's kernels for TF.js's cpu backend (the native backend registers the same ones for itself).
import * as tf from '@tensorflow/tfjs';
import { sgdMomentumConfig } from './kernels/GradflowSgdMomentum.js';

let registered = false;

export function registerCpuKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel(sgdMomentumConfig('cpu'));
}
