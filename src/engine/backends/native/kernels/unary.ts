// Float32 unary ops in C++ (OpenMP): one kernel for each entry of the addon's unaryOps table, which
// names the TF.js kernel each op code implements.
import type { NativeAddon } from '../addon.js';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';

function unaryKernel(kernelName: string, op: number): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, attrs, addon }) => {
      const { x } = inputs;
      const xs = f32(backend, x);
      if (!xs) return null;
      const y = output(backend, x.shape.slice());
      addon.unary(op, xs, y.values, (attrs.alpha as number | undefined) ?? 0);
      return y.info;
    },
  };
}

export const unaryKernels = (addon: NativeAddon): NativeKernel[] =>
  Object.entries(addon.unaryOps).map(([name, op]) => unaryKernel(name, op));
