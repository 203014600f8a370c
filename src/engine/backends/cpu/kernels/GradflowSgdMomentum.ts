// GradflowSgdMomentum on the cpu backend and on native (built on it): one pass over the parameter's
// typed arrays.
import type * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { SGD_MOMENTUM_KERNEL, sgdMomentumUpdate, type SgdMomentumAttrs } from '../../../sgd_momentum.js';
import { f32, output } from '../../native/tensors.js';

export function sgdMomentumConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: SGD_MOMENTUM_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as MathBackendCPU;
      const { w, v, g } = inputs as Record<string, tf.TensorInfo>;
      const [ws, vs, gs] = [f32(cpu, w), f32(cpu, v), f32(cpu, g)];
      if (!ws || !vs || !gs || ws.length !== vs.length || ws.length !== gs.length) {
        throw new Error(`${SGD_MOMENTUM_KERNEL}: w, v and g must be float32 tensors of one shape`);
      }
      const wOut = output(cpu, w.shape.slice());
      const vOut = output(cpu, w.shape.slice());
      sgdMomentumUpdate(ws, vs, gs, wOut.values, vOut.values, attrs as unknown as SgdMomentumAttrs);
      return [wOut.info, vOut.info];
    },
  };
}
