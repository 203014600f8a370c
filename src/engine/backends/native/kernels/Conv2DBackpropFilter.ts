// Conv2DBackpropFilter on oneDNN, NHWC only.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';
import { convGeometry, info } from './conv_utils.js';

export const conv2DBackpropFilter: NativeKernel = {
  kernelName: tf.Conv2DBackpropFilter,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x, dy } = inputs;
    const filterShape = attrs.filterShape as number[];
    const c = info(x.shape, filterShape, attrs);
    const geometry = convGeometry(c);
    const xs = f32(backend, x);
    const dys = f32(backend, dy);
    if (!geometry || !xs || !dys) return null;
    const dw = output(backend, filterShape.slice());
    addon.conv2dBackwardFilter(xs, dys, dw.values, geometry);
    return dw.info;
  },
};
