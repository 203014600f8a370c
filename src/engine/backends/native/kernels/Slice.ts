// Slice as a native box copy: the gradient of option-A channel padding is a channel slice, which the cpu
// kernel computes element by element.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';
import { boxGeometry, MAX_RANK } from './box_copy.js';

export const slice: NativeKernel = {
  kernelName: tf.Slice,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x } = inputs;
    const xs = f32(backend, x);
    if (!xs || x.shape.length === 0 || x.shape.length > MAX_RANK) return null;
    const [begin, size] = tf.slice_util.parseSliceParams(
      x as tf.Tensor,
      attrs.begin as number[],
      attrs.size as number[],
    );
    tf.slice_util.assertParamsValid(x as tf.Tensor, begin, size);
    const y = output(backend, size);
    const zeros = size.map(() => 0);
    addon.copyBox(xs, y.values, boxGeometry(x.shape, begin, size, zeros, size), null);
    return y.info;
  },
};
