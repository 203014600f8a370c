// What the native batch-norm kernels share: the [n, hw, c] split of the rows and the channel vectors.
import type * as tf from '@tensorflow/tfjs';
import { f32, size } from '../tensors.js';

/** [n, hw, c]: rows split in two so oneDNN parallelises over both (any split gives the same statistics). */
export function rowsGeometry(shape: number[]): [number, number, number] {
  const c = shape[shape.length - 1];
  const n = shape.length > 1 ? shape[0] : 1;
  return [n, size(shape.slice(1, -1)), c];
}

export function channelVector(backend: Parameters<typeof f32>[0], t: tf.TensorInfo | undefined, c: number) {
  const values = f32(backend, t);
  return values && values.length === c ? values : null;
}
