// Conv2DBackpropInput on oneDNN, NHWC only.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';
import { convGeometry, info } from './conv_utils.js';

export const conv2DBackpropInput: NativeKernel = {
  kernelName: tf.Conv2DBackpropInput,
  run: ({ inputs, backend, attrs, addon }) => {
    const { dy, filter } = inputs;
    const inputShape = attrs.inputShape as number[];
    const c = info(inputShape, filter.shape, attrs);
    const geometry = convGeometry(c);
    const dys = f32(backend, dy);
    const ws = f32(backend, filter);
    if (!geometry || !dys || !ws) return null;
    const dx = output(backend, inputShape.slice());
    addon.conv2dBackwardData(dys, ws, dx.values, geometry);
    return dx.info;
  },
};
