// How a native kernel is written: it returns null for anything it does not handle (dtype, layout, activation),
// and the cpu backend's kernel of the same name runs instead.
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon.js';

export interface NativeArgs {
  // Required inputs are present (tfjs checks them); optional ones are read as possibly undefined.
  inputs: Record<string, tf.TensorInfo>;
  backend: MathBackendCPU;
  attrs: tf.NamedAttrMap;
  addon: NativeAddon;
}

export interface NativeKernel {
  kernelName: string;
  run(args: NativeArgs): tf.TensorInfo | tf.TensorInfo[] | null;
}

export function toKernelConfig(
  kernel: NativeKernel,
  addon: NativeAddon,
  backendName: string,
): tf.KernelConfig {
  const cpu = tf.getKernel(kernel.kernelName, 'cpu')?.kernelFunc;
  return {
    kernelName: kernel.kernelName,
    backendName,
    kernelFunc: (args) => {
      const out = kernel.run({
        inputs: args.inputs as Record<string, tf.TensorInfo>,
        backend: args.backend as MathBackendCPU,
        attrs: args.attrs ?? {},
        addon,
      });
      if (out !== null) return out;
      if (!cpu)
        throw new Error(
          `native ${kernel.kernelName}: these inputs are not supported and no cpu kernel exists`,
        );
      return cpu(args);
    },
  };
}
