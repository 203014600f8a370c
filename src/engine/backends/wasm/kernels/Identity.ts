// Identity for wasm without a copy. tfjs clones every tensor it saves for the backward pass
// through Identity, and the stock wasm kernel copies the whole buffer each time (~170 copies of
// activations per ResNet-20 step). wasm kernels never write into their inputs, so sharing the
// buffer with a reference count (as the cpu backend does) is safe.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '../kernel_utils.js';

function identity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as tf.KernelFunc,
};
