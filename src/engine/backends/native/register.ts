// Loads the optional oneDNN addon (native/) and registers the `native` TF.js backend: the cpu backend
// (tensors are plain typed arrays the addon reads and writes in place) with its hot kernels in C++ and a
// pool of reusable output arrays (backend.ts).
import * as tf from '@tensorflow/tfjs';
import { batchNormReluTrainingGradConfig, batchNormTrainingGradConfig } from '../../batch_norm_training.js';
import { loadAddon } from './addon.js';
import { NativeBackend } from './backend.js';
import { toKernelConfig } from './kernel.js';
import { nativeReluGradConfig } from './kernels/GradflowReluGrad.js';
import { cpuKernelConfigs } from '../cpu/register_all_kernels.js';
import { nativeKernels } from './register_all_kernels.js';

export type NativeLoad =
  { ok: true; version: string; threads: number } | { ok: false; reason: string; hidden?: boolean };

export const NATIVE_BACKEND = 'native';

let registered = false;

export async function registerNativeBackend(threads: number): Promise<NativeLoad> {
  if (process.env.GRADFLOW_NO_NATIVE)
    return { ok: false, reason: 'hidden by GRADFLOW_NO_NATIVE', hidden: true };
  if (!Number.isInteger(threads) || threads < 1) {
    return { ok: false, reason: `threads must be a positive integer, got ${threads}` };
  }
  const load = loadAddon();
  if (!load.ok) return load;
  const { addon } = load;
  if (!registered) {
    // Priority below cpu's: registering never changes the default; the engine selects backends explicitly.
    tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(), 0);
    const kernels = nativeKernels(addon);
    const overridden = new Set(kernels.map((k) => k.kernelName));
    for (const kernel of tf.getKernelsForBackend('cpu')) {
      if (!overridden.has(kernel.kernelName)) tf.registerKernel({ ...kernel, backendName: NATIVE_BACKEND });
    }
    for (const kernel of kernels) tf.registerKernel(toKernelConfig(kernel, addon, NATIVE_BACKEND));
    // Copied from cpu above when the cpu kernels were registered first; else registered here.
    for (const config of cpuKernelConfigs(NATIVE_BACKEND)) {
      if (tf.getKernel(config.kernelName, NATIVE_BACKEND) == null) tf.registerKernel(config);
    }
    tf.registerGradient(batchNormTrainingGradConfig);
    tf.registerGradient(batchNormReluTrainingGradConfig);
    tf.registerGradient(nativeReluGradConfig(NATIVE_BACKEND));
    registered = true;
  }
  const actual = addon.setThreads(threads);
  return { ok: true, version: `oneDNN ${addon.onednnVersion}`, threads: actual };
}
