// GradflowBatchNormGrad on oneDNN: the gradients to x, scale and offset in one call.
import { BATCH_NORM_GRAD_KERNEL } from '../../../batch_norm_training.js';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';
import { channelVector, rowsGeometry } from './batch_norm_utils.js';

export const batchNormTrainingGrad: NativeKernel = {
  kernelName: BATCH_NORM_GRAD_KERNEL,
  run: ({ inputs, backend, attrs, addon }) => {
    const { dy, x, scale, mean, variance } = inputs;
    const [n, hw, c] = rowsGeometry(x.shape);
    const arrays = [
      f32(backend, dy),
      f32(backend, x),
      ...[scale, mean, variance].map((t) => channelVector(backend, t, c)),
    ];
    if (arrays.some((a) => a === null)) throw new Error(`${BATCH_NORM_GRAD_KERNEL}: inputs must be float32`);
    const [dys, xs, scales, means, variances] = arrays as Float32Array[];
    const dx = output(backend, x.shape.slice());
    const dscale = output(backend, [c]);
    const doffset = output(backend, [c]);
    const epsilon = attrs.epsilon as number;
    addon.batchNormBackward(
      dys,
      xs,
      scales,
      means,
      variances,
      dx.values,
      dscale.values,
      doffset.values,
      Int32Array.from([n, hw, c]),
      epsilon,
    );
    return [dx.info, dscale.info, doffset.info];
  },
};
