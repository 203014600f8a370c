// gradflow's kernels for TF.js's cpu backend (the native backend registers the same ones for itself).
import * as tf from '@tensorflow/tfjs';
import { movingAveragesConfig } from './kernels/GradflowMovingAverages.js';
import { sgdMomentumConfig } from './kernels/GradflowSgdMomentum.js';

/** The kernels, made for a backend built on the cpu one's storage (cpu itself, native). */
export const cpuKernelConfigs = (backendName: string): tf.KernelConfig[] => [
  sgdMomentumConfig(backendName),
  movingAveragesConfig(backendName),
];

let registered = false;

export function registerCpuKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of cpuKernelConfigs('cpu')) tf.registerKernel(config);
}
