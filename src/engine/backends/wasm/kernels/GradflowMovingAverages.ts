// GradflowMovingAverages on wasm: one pass over a layer's channels on the wasm heap.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  MOVING_AVERAGES_KERNEL,
  movingAveragesUpdate,
  type MovingAveragesAttrs,
} from '../../../moving_averages.js';
import { heapF32, type TensorInfo } from '../kernel_utils.js';

function movingAverages({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}) {
  const wasm = backend as BackendWasm;
  const { mean, variance, batchMean, batchVariance } = inputs as Record<string, TensorInfo>;
  if ([mean, variance, batchMean, batchVariance].some((t) => t.dtype !== 'float32'))
    throw new Error(`${MOVING_AVERAGES_KERNEL}: inputs must be float32`);
  const meanOut = wasm.makeOutput(mean.shape.slice(), 'float32');
  const varianceOut = wasm.makeOutput(mean.shape.slice(), 'float32');
  // Views after the last allocation: growing the heap detaches earlier ones.
  const [m, v, bm, bv, mo, vo] = [mean, variance, batchMean, batchVariance, meanOut, varianceOut].map((t) =>
    heapF32(wasm, t),
  );
  movingAveragesUpdate(m, v, bm, bv, mo, vo, attrs as unknown as MovingAveragesAttrs);
  return [meanOut, varianceOut];
}

export const movingAveragesConfig: tf.KernelConfig = {
  kernelName: MOVING_AVERAGES_KERNEL,
  backendName: 'wasm',
  kernelFunc: movingAverages as unknown as tf.KernelFunc,
};
