// BatchMatMul and _FusedMatMul (bias, ReLU) on oneDNN share this. Batch dimensions must match, or one side
// must have none / batch 1 (it is then broadcast); anything else goes to the cpu kernel.
import type * as tf from '@tensorflow/tfjs';
import type { NativeArgs } from '../kernel.js';
import { f32, output, size } from '../tensors.js';

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function matmul({ inputs, backend, attrs, addon }: NativeArgs, relu: boolean): tf.TensorInfo | null {
  const { a, b, bias } = inputs as Record<string, tf.TensorInfo | undefined>;
  if (!a || !b || a.shape.length < 2 || b.shape.length < 2) return null;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) return null; // let the cpu kernel raise tfjs's own message
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchA = size(batchShapeA);
  const batchB = size(batchShapeB);
  let batchShape: number[];
  if (batchA === 1) batchShape = batchShapeB.length >= batchShapeA.length ? batchShapeB : batchShapeA;
  else if (batchB === 1) batchShape = batchShapeA.length >= batchShapeB.length ? batchShapeA : batchShapeB;
  else if (sameShape(batchShapeA, batchShapeB)) batchShape = batchShapeA;
  else return null;
  const as = f32(backend, a);
  const bs = f32(backend, b);
  const biasValues = bias ? f32(backend, bias) : null;
  if (!as || !bs || (bias && (!biasValues || biasValues.length !== n || bias.shape.length !== 1)))
    return null;
  const c = output(backend, [...batchShape, m, n]);
  const geometry = Int32Array.from([batchA, batchB, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0]);
  addon.matmul(as, bs, biasValues, c.values, geometry, relu ? 1 : 0);
  return c.info;
}
