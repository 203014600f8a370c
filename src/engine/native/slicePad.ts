// Slice and PadV2 (constant) as one native strided box copy: the gradient of option-A channel padding is a
// channel slice, which the cpu kernel computes element by element.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from './kernel.js';
import { f32, output } from './tensors.js';

const MAX_RANK = 8;

function boxGeometry(
  srcShape: number[],
  srcBegin: number[],
  dstShape: number[],
  dstBegin: number[],
  box: number[],
) {
  return Int32Array.from([srcShape.length, ...srcShape, ...srcBegin, ...dstShape, ...dstBegin, ...box]);
}

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
