// Float32 unary ops and broadcasting binary ops in C++ (OpenMP). The cpu backend computes a broadcast index
// per element in JS, which is what makes batch norm's channel-vector arithmetic slow there.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from './kernel.js';
import { f32, output } from './tensors.js';

// Op codes shared with native/src/elementwise.cc.
const unaryOps = {
  [tf.Relu]: 0,
  [tf.Step]: 1,
  [tf.Square]: 2,
  [tf.Neg]: 3,
  [tf.Sqrt]: 4,
  [tf.Rsqrt]: 5,
  [tf.Exp]: 6,
  [tf.Log]: 7,
  [tf.Abs]: 8,
  [tf.Sigmoid]: 9,
  [tf.Tanh]: 10,
  [tf.Relu6]: 11,
} as const;

const binaryOps = {
  [tf.Add]: 0,
  [tf.Sub]: 1,
  [tf.Multiply]: 2,
  [tf.RealDiv]: 3,
  [tf.SquaredDifference]: 4,
  [tf.Maximum]: 5,
  [tf.Minimum]: 6,
} as const;

export const RELU_GRAD_KERNEL = 'GradflowReluGrad';
const RELU_GRAD_OP = 7;

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

function binaryKernel(kernelName: string, op: number): NativeKernel {
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

export const unaryKernels: NativeKernel[] = Object.entries(unaryOps).map(([name, op]) =>
  unaryKernel(name, op),
);
export const binaryKernels: NativeKernel[] = Object.entries(binaryOps).map(([name, op]) =>
  binaryKernel(name, op),
);

/** GradflowReluGrad (inputs a = dy, b = x): dy where x > 0, else 0. */
export const reluGrad: NativeKernel = binaryKernel(RELU_GRAD_KERNEL, RELU_GRAD_OP);

/**
 * ReLU's gradient as one native pass on the native backend. Gradients are registered per kernel name for
 * every backend, so this wraps tfjs's own ReLU gradient and uses it on any other backend.
 */
export function nativeReluGradConfig(backendName: string): tf.GradConfig {
  const stock = tf.getGradient(tf.Relu);
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== backendName) return stock.gradFunc(dy, saved, attrs);
      const [x] = saved;
      return { x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { a: dy as tf.Tensor, b: x }) as tf.Tensor };
    },
  };
}
