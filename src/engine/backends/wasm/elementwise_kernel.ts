// gradflow's fused elementwise kernels on the wasm heap: float32 inputs of one length in, outputs of the
// first input's shape out, one pass over the arrays (the same pass the cpu backend runs).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ElementwisePass } from '../cpu/elementwise_kernel.js';
import { heapF32, type KernelArgs, type TensorInfo } from './kernel_utils.js';

export function elementwiseKernelConfig(
  kernelName: string,
  inputNames: string[],
  outputCount: number,
  pass: ElementwisePass,
): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs) => {
    const wasm = backend as BackendWasm;
    const infos = inputNames.map((name) => (inputs as Record<string, TensorInfo>)[name]);
    if (
      infos.some(
        (t) =>
          t.dtype !== 'float32' || tf.util.sizeFromShape(t.shape) !== tf.util.sizeFromShape(infos[0].shape),
      )
    )
      throw new Error(`${kernelName}: ${inputNames.join(', ')} must be float32 tensors of one size`);
    const outs = Array.from({ length: outputCount }, () =>
      wasm.makeOutput(infos[0].shape.slice(), 'float32'),
    );
    // Views after the last allocation: growing the heap detaches earlier ones.
    pass(
      infos.map((t) => heapF32(wasm, t)),
      outs.map((t) => heapF32(wasm, t)),
      attrs ?? {},
    );
    return outs;
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
