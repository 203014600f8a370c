// PadV2 (constant padding) as a native box copy.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';
import { boxGeometry, MAX_RANK } from './box_copy.js';

export const padV2: NativeKernel = {
  kernelName: tf.PadV2,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x } = inputs;
    const xs = f32(backend, x);
    const paddings = attrs.paddings as [number, number][];
    if (!xs || x.shape.length === 0 || x.shape.length > MAX_RANK) return null;
    const outShape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
    const y = output(backend, outShape);
    const zeros = x.shape.map(() => 0);
    const before = paddings.map((p) => p[0]);
    addon.copyBox(
      xs,
      y.values,
      boxGeometry(x.shape, zeros, outShape, before, x.shape),
      attrs.constantValue as number,
    );
    return y.info;
  },
};
