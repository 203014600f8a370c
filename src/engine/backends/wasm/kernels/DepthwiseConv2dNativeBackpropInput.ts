// DepthwiseConv2dNativeBackpropInput for wasm (tfjs-backend-wasm has none): direct loops over the
// wasm heap, following tfjs-backend-cpu. Depthwise layers are rare in gradflow's models, so this
// favours clarity; dilations > 1 have no gradient in tfjs-core either.
import * as tf from '@tensorflow/tfjs';
import { convGradientArgs, heapF32, type KernelArgs, type TensorInfo } from '../kernel_utils.js';

function depthwiseBackpropInput(args: KernelArgs): TensorInfo {
  const { backend, dy, filter, info } = convGradientArgs(
    'DepthwiseConv2dNativeBackpropInput',
    args,
    'filter',
    true,
  );
  const { batchSize, filterHeight: KH, filterWidth: KW, inChannels: C, inHeight: H, inWidth: W } = info;
  const { outChannels, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
  const mult = outChannels / C;
  const top = KH - 1 - info.padInfo.top;
  const left = KW - 1 - info.padInfo.left;
  const out = backend.makeOutput(info.inShape, 'float32');
  const dx = heapF32(backend, out);
  const dyv = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  for (let b = 0; b < batchSize; b++) {
    for (let h = 0; h < H; h++) {
      const hCorner = h - top;
      const ohMin = Math.max(0, Math.ceil(hCorner / sh));
      const ohMax = Math.min(OH, (KH + hCorner) / sh);
      for (let x = 0; x < W; x++) {
        const wCorner = x - left;
        const owMin = Math.max(0, Math.ceil(wCorner / sw));
        const owMax = Math.min(OW, (KW + wCorner) / sw);
        const dxBase = ((b * H + h) * W + x) * C;
        for (let c = 0; c < C; c++) {
          let acc = 0;
          for (let oh = ohMin; oh < ohMax; oh++) {
            const kh = KH - 1 - (oh * sh - hCorner);
            for (let ow = owMin; ow < owMax; ow++) {
              const kw = KW - 1 - (ow * sw - wCorner);
              const dyBase = ((b * OH + oh) * OW + ow) * outChannels + c * mult;
              const wBase = ((kh * KW + kw) * C + c) * mult;
              for (let m = 0; m < mult; m++) acc += dyv[dyBase + m] * w[wBase + m];
            }
          }
          dx[dxBase + c] = acc;
        }
      }
    }
  }
  return out;
}

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
};
