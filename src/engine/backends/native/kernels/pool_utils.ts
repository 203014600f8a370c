// What the native pooling kernels share (NHWC, no dilation): TF's pooling geometry as the addon's 15
// integers, and the forward and backward passes for max and average pooling.
import * as tf from '@tensorflow/tfjs';
import type { NativeArgs } from '../kernel.js';
import { f32, output } from '../tensors.js';

function poolInfo(xShape: number[], attrs: tf.NamedAttrMap): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
}

/** The addon's 15-integer pooling geometry, or null when oneDNN's output-size rule disagrees with TF's. */
function poolGeometry(c: tf.backend_util.Conv2DInfo, isMax: boolean): Int32Array | null {
  const { top, left, bottom, right } = c.padInfo;
  const fits = (inSize: number, pads: number, k: number, s: number, out: number) =>
    pads >= 0 && Math.floor((inSize + pads - k) / s) + 1 === out;
  if (c.dilationHeight !== 1 || c.dilationWidth !== 1) return null;
  if (!fits(c.inHeight, top + bottom, c.filterHeight, c.strideHeight, c.outHeight)) return null;
  if (!fits(c.inWidth, left + right, c.filterWidth, c.strideWidth, c.outWidth)) return null;
  return Int32Array.from([
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.outHeight,
    c.outWidth,
    c.filterHeight,
    c.filterWidth,
    c.strideHeight,
    c.strideWidth,
    top,
    left,
    bottom,
    right,
    isMax ? 1 : 0,
  ]);
}

export function forward(isMax: boolean) {
  return ({ inputs, backend, attrs, addon }: NativeArgs): tf.TensorInfo | null => {
    const { x } = inputs;
    if (x.shape.length !== 4) return null;
    const c = poolInfo(x.shape, attrs);
    const geometry = poolGeometry(c, isMax);
    const xs = f32(backend, x);
    if (!geometry || !xs) return null;
    const y = output(backend, [c.batchSize, c.outHeight, c.outWidth, c.outChannels]);
    addon.pool(xs, y.values, geometry);
    return y.info;
  };
}

export function backward(isMax: boolean) {
  return ({ inputs, backend, attrs, addon }: NativeArgs): tf.TensorInfo | null => {
    const { dy, input } = inputs;
    if (input.shape.length !== 4) return null;
    const c = poolInfo(input.shape, attrs);
    const geometry = poolGeometry(c, isMax);
    const dys = f32(backend, dy);
    const xs = isMax ? f32(backend, input) : null;
    if (!geometry || !dys || (isMax && !xs)) return null;
    const dx = output(backend, input.shape.slice());
    addon.poolBackward(dys, xs, dx.values, geometry);
    return dx.info;
  };
}
