// What the native convolution kernels share: TF's conv geometry as the addon's 17 integers, and the
// forward pass (plain or fused with bias and ReLU).
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { f32, output } from '../tensors.js';

type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** The addon's 17-integer geometry, or null when oneDNN's output-size rule disagrees with TF's (then: cpu). */
export function convGeometry(c: Conv2DInfo): Int32Array | null {
  if (c.dataFormat !== 'channelsLast') return null;
  const { top, left, bottom, right } = c.padInfo;
  const fits = (inSize: number, pads: number, k: number, d: number, s: number, out: number) =>
    Math.floor((inSize + pads - ((k - 1) * d + 1)) / s) + 1 === out && pads >= 0;
  if (!fits(c.inHeight, top + bottom, c.filterHeight, c.dilationHeight, c.strideHeight, c.outHeight))
    return null;
  if (!fits(c.inWidth, left + right, c.filterWidth, c.dilationWidth, c.strideWidth, c.outWidth)) return null;
  return Int32Array.from([
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.outChannels,
    c.filterHeight,
    c.filterWidth,
    c.outHeight,
    c.outWidth,
    c.strideHeight,
    c.strideWidth,
    c.dilationHeight,
    c.dilationWidth,
    top,
    left,
    bottom,
    right,
  ]);
}

export function info(
  xShape: number[],
  filterShape: number[],
  attrs: tf.NamedAttrMap,
  dilations: number | [number, number] = 1,
): Conv2DInfo {
  const format = tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as 'NHWC' | 'NCHW') ?? 'NHWC');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    dilations,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    format,
  );
}

export function forward(relu: boolean, withBias: boolean): NativeKernel['run'] {
  return ({ inputs, backend, attrs, addon }) => {
    const { x, filter, bias } = inputs as Record<string, tf.TensorInfo | undefined>;
    if (!x || !filter) return null;
    const c = info(x.shape, filter.shape, attrs, attrs.dilations as [number, number]);
    const geometry = convGeometry(c);
    const xs = f32(backend, x);
    const ws = f32(backend, filter);
    const bs = withBias && bias ? f32(backend, bias) : null;
    if (!geometry || !xs || !ws || (withBias && bias && (!bs || bs.length !== c.outChannels))) return null;
    const y = output(backend, [c.batchSize, c.outHeight, c.outWidth, c.outChannels]);
    addon.conv2d(xs, ws, bs, y.values, geometry, relu ? 1 : 0);
    return y.info;
  };
}
