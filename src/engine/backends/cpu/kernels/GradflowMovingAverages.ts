// GradflowMovingAverages on the cpu backend and on native (built on it): one pass over a layer's channels.
import type * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  MOVING_AVERAGES_KERNEL,
  movingAveragesUpdate,
  type MovingAveragesAttrs,
} from '../../../moving_averages.js';
import { f32, output } from '../../native/tensors.js';

export function movingAveragesConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: MOVING_AVERAGES_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as MathBackendCPU;
      const { mean, variance, batchMean, batchVariance } = inputs as Record<string, tf.TensorInfo>;
      const arrays = [mean, variance, batchMean, batchVariance].map((t) => f32(cpu, t));
      if (arrays.some((a) => !a || a.length !== arrays[0]!.length)) {
        throw new Error(`${MOVING_AVERAGES_KERNEL}: inputs must be float32 vectors of one length`);
      }
      const [m, v, bm, bv] = arrays as Float32Array[];
      const meanOut = output(cpu, mean.shape.slice());
      const varianceOut = output(cpu, mean.shape.slice());
      movingAveragesUpdate(
        m,
        v,
        bm,
        bv,
        meanOut.values,
        varianceOut.values,
        attrs as unknown as MovingAveragesAttrs,
      );
      return [meanOut.info, varianceOut.info];
    },
  };
}
