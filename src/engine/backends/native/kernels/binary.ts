// Broadcasting float32 binary ops in C++ (OpenMP): one kernel for each entry of the addon's binaryOps
// table. The cpu backend computes a broadcast index per element in JS, which is what makes batch
// norm's channel-vector arithmetic slow there.
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';

/**
 * Folds a broadcast of `a` and `b` into the addon's three-level strided view
 * [planes, outer, inner, aP, aO, aI, bP, bO, bI], or null when it needs more than three runs.
 */
export function broadcastView(
  aShape: number[],
  bShape: number[],
): { outShape: number[]; view: Int32Array } | null {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const rank = outShape.length;
  const stridesOf = (shape: number[]) => {
    const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
    const strides = new Array<number>(rank);
    let acc = 1;
    for (let i = rank - 1; i >= 0; i--) {
      strides[i] = padded[i] === 1 ? 0 : acc;
      acc *= padded[i];
    }
    return strides;
  };
  const sa = stridesOf(aShape);
  const sb = stridesOf(bShape);
  // Runs of dimensions, innermost first, merged while both operands stay contiguous across them.
  const runs: { size: number; a: number; b: number }[] = [];
  for (let i = rank - 1; i >= 0; i--) {
    if (outShape[i] === 1) continue;
    const run = runs[runs.length - 1];
    if (run && sa[i] === run.a * run.size && sb[i] === run.b * run.size) run.size *= outShape[i];
    else runs.push({ size: outShape[i], a: sa[i], b: sb[i] });
  }
  if (runs.length > 3) return null;
  while (runs.length < 3) runs.push({ size: 1, a: 0, b: 0 });
  const [inner, outer, planes] = runs;
  const view = Int32Array.from([
    planes.size,
    outer.size,
    inner.size,
    planes.a,
    outer.a,
    inner.a,
    planes.b,
    outer.b,
    inner.b,
  ]);
  return { outShape, view };
}

export function binaryKernel(kernelName: string, op: number): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, addon }) => {
      const { a, b } = inputs;
      const as = f32(backend, a);
      const bs = f32(backend, b);
      if (!as || !bs) return null;
      const folded = broadcastView(a.shape, b.shape);
      if (!folded) return null;
      const out = output(backend, folded.outShape);
      addon.binary(op, as, bs, out.values, folded.view);
      return out.info;
    },
  };
}

export const binaryKernels = (addon: NativeAddon): NativeKernel[] =>
  Object.entries(addon.binaryOps).map(([name, op]) => binaryKernel(name, op));
