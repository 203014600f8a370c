// Access to the cpu backend's storage: its tensors are plain typed arrays, so kernels hand them to the addon
// without copying. Anything that is not float32 is left to the cpu kernels.
import type * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { NativeBackend } from './backend.js';

export type Kernel = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}) => tf.TensorInfo | tf.TensorInfo[];

/** The float32 values behind a tensor, or null when it is not a float32 array (then: use the cpu kernel). */
export function f32(backend: MathBackendCPU, t: tf.TensorInfo | undefined): Float32Array | null {
  if (!t || t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId)?.values;
  return values instanceof Float32Array ? values : null;
}

export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A new float32 tensor whose array the addon fills completely: on the native backend the array may be a
 * recycled one with stale contents, so a kernel must write every element.
 */
export function output(
  backend: MathBackendCPU,
  shape: number[],
): { info: tf.TensorInfo; values: Float32Array } {
  const length = size(shape);
  const values = backend instanceof NativeBackend ? backend.allocate(length) : new Float32Array(length);
  return { info: backend.makeTensorInfo(shape, 'float32', values), values };
}
