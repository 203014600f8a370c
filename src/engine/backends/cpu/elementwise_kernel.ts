// gradflow's fused elementwise kernels on the cpu backend's storage (cpu itself, and native, built on
// it): float32 inputs of one length in, outputs of the first input's shape out, one pass over the arrays.
import type * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { f32, output } from '../native/tensors.js';

/** Writes the outputs from the inputs, element by element. */
export type ElementwisePass = (
  inputs: Float32Array[],
  outputs: Float32Array[],
  attrs: tf.NamedAttrMap,
) => void;

export function elementwiseKernelConfig(
  kernelName: string,
  backendName: string,
  inputNames: string[],
  outputCount: number,
  pass: ElementwisePass,
): tf.KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as MathBackendCPU;
      const infos = inputNames.map((name) => (inputs as Record<string, tf.TensorInfo>)[name]);
      const arrays = infos.map((t) => f32(cpu, t));
      if (arrays.some((a) => !a || a.length !== arrays[0]!.length)) {
        throw new Error(`${kernelName}: ${inputNames.join(', ')} must be float32 tensors of one size`);
      }
      const outs = Array.from({ length: outputCount }, () => output(cpu, infos[0].shape.slice()));
      pass(
        arrays as Float32Array[],
        outs.map((o) => o.values),
        attrs ?? {},
      );
      return outs.map((o) => o.info);
    },
  };
}
