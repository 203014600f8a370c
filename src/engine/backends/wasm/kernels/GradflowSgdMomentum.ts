// GradflowSgdMomentum on wasm: one pass over the parameter's arrays on the wasm heap.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SGD_MOMENTUM_KERNEL, sgdMomentumUpdate, type SgdMomentumAttrs } from '../../../sgd_momentum.js';
import { heapF32, type TensorInfo } from '../kernel_utils.js';

function sgdMomentum({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}) {
  const wasm = backend as BackendWasm;
  const { w, v, g } = inputs as Record<string, TensorInfo>;
  if ([w, v, g].some((t) => t.dtype !== 'float32'))
    throw new Error(`${SGD_MOMENTUM_KERNEL}: inputs must be float32`);
  const wOut = wasm.makeOutput(w.shape.slice(), 'float32');
  const vOut = wasm.makeOutput(w.shape.slice(), 'float32');
  // Views after the last allocation: growing the heap detaches earlier ones.
  sgdMomentumUpdate(
    heapF32(wasm, w),
    heapF32(wasm, v),
    heapF32(wasm, g),
    heapF32(wasm, wOut),
    heapF32(wasm, vOut),
    attrs as unknown as SgdMomentumAttrs,
  );
  return [wOut, vOut];
}

export const sgdMomentumConfig: tf.KernelConfig = {
  kernelName: SGD_MOMENTUM_KERNEL,
  backendName: 'wasm',
  kernelFunc: sgdMomentum as unknown as tf.KernelFunc,
};
