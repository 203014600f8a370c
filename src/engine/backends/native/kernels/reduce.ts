// Sum, Mean, Max and Min over a contiguous run of axes, without the transpose the cpu kernels do first.
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import type { NativeKernel } from '../kernel.js';
import { f32, output, size } from '../tensors.js';

/** [outer, mid, inner] when `axes` form one contiguous run, else null. */
export function reduceView(shape: number[], axes: number[]): Int32Array | null {
  const sorted = [...new Set(axes)].sort((p, q) => p - q);
  if (sorted.length === 0) return null;
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  if (hi - lo + 1 !== sorted.length) return null;
  return Int32Array.from([
    size(shape.slice(0, lo)),
    size(shape.slice(lo, hi + 1)),
    size(shape.slice(hi + 1)),
  ]);
}

function reduceKernel(kernelName: string, op: number): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, attrs, addon }) => {
      const { x } = inputs;
      const xs = f32(backend, x);
      if (!xs || x.shape.length === 0) return null;
      // Max names its axes `reductionIndices`; Sum, Mean and Min name them `axis`.
      const axis = (attrs.axis ?? attrs.reductionIndices) as number | number[];
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const view = reduceView(x.shape, axes);
      if (!view || view[1] === 0) return null;
      const outShape = attrs.keepDims
        ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !axes.includes(i));
      const out = output(backend, outShape);
      addon.reduce(op, xs, out.values, view);
      return out.info;
    },
  };
}

/** One kernel for each entry of the addon's reduceOps table (Sum, Mean, Max, Min). */
export const reduceKernels = (addon: NativeAddon): NativeKernel[] =>
  Object.entries(addon.reduceOps).map(([name, op]) => reduceKernel(name, op));
