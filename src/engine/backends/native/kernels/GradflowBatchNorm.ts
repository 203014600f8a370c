// GradflowBatchNorm on oneDNN: training-mode batch norm and the batch statistics in one call.
import { BATCH_NORM_KERNEL } from '../../../batch_norm_training.js';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';
import { channelVector, rowsGeometry } from './batch_norm_utils.js';

export const batchNormTraining: NativeKernel = {
  kernelName: BATCH_NORM_KERNEL,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x, scale, offset } = inputs;
    const epsilon = attrs.epsilon as number;
    const [n, hw, c] = rowsGeometry(x.shape);
    const xs = f32(backend, x);
    const scales = channelVector(backend, scale, c);
    const offsets = channelVector(backend, offset, c);
    if (!xs || !scales || !offsets) {
      throw new Error(
        `${BATCH_NORM_KERNEL}: x must be float32 and scale/offset float32 vectors of ${c} channels`,
      );
    }
    const y = output(backend, x.shape.slice());
    const mean = output(backend, [c]);
    const variance = output(backend, [c]);
    const geometry = Int32Array.from([n, hw, c, 1]);
    addon.batchNorm(xs, scales, offsets, y.values, mean.values, variance.values, geometry, epsilon);
    return [y.info, mean.info, variance.info];
  },
};
