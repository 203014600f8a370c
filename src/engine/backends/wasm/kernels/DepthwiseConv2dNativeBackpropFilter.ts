// DepthwiseConv2dNativeBackpropFilter for wasm (tfjs-backend-wasm has none): direct loops over
// the wasm heap, following tfjs-backend-cpu (see depthwise_backprop_input.ts).
import * as tf from '@tensorflow/tfjs';
import { convGradientArgs, heapF32, type KernelArgs, type TensorInfo } from '../kernel_utils.js';

function depthwiseBackpropFilter(args: KernelArgs): TensorInfo {
  const { backend, x, dy, info } = convGradientArgs('DepthwiseConv2dNativeBackpropFilter', args, 'x', true);
  const { batchSize, filterHeight: KH, filterWidth: KW, inChannels: C, inHeight: H, inWidth: W } = info;
  const { outChannels, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
  const mult = outChannels / C;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput(info.filterShape, 'float32');
  const dw = heapF32(backend, out);
  const xv = heapF32(backend, x);
  const dyv = heapF32(backend, dy);
  dw.fill(0);
  for (let kh = 0; kh < KH; kh++) {
    const ohMin = Math.max(0, Math.ceil((top - kh) / sh));
    const ohMax = Math.min(OH, (H + top - kh) / sh);
    for (let kw = 0; kw < KW; kw++) {
      const owMin = Math.max(0, Math.ceil((left - kw) / sw));
      const owMax = Math.min(OW, (W + left - kw) / sw);
      const dwBase = (kh * KW + kw) * outChannels;
      for (let b = 0; b < batchSize; b++) {
        for (let oh = ohMin; oh < ohMax; oh++) {
          const h = kh + oh * sh - top;
          for (let ow = owMin; ow < owMax; ow++) {
            const xBase = ((b * H + h) * W + (kw + ow * sw - left)) * C;
            const dyBase = ((b * OH + oh) * OW + ow) * outChannels;
            for (let d = 0; d < outChannels; d++) {
              dw[dwBase + d] += xv[xBase + Math.trunc(d / mult)] * dyv[dyBase + d];
            }
          }
        }
      }
    }
  }
  return out;
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
};
