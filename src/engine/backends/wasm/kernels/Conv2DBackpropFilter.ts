// Conv2DBackpropFilter for wasm (tfjs-backend-wasm has none). dW is computed as ONE forward conv
// (XNNPACK's fast path) with batch and channels swapped:
//   dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co]
// is conv(x' = x as [Ci,H,W,N], f' = dy as [OH,OW,N,Co], dilation = stride) -> [Ci,KH,KW,Co].
import * as tf from '@tensorflow/tfjs';
import {
  conv2d,
  convGradientArgs,
  disposeInfos,
  type KernelArgs,
  reshape,
  slice,
  transpose,
} from '../kernel_utils.js';

function conv2DBackpropFilter(args: KernelArgs) {
  const { backend, x, dy, info } = convGradientArgs('Conv2DBackpropFilter', args, 'x');
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  // Padding after the input so that the dilated "filter" (dy) leaves exactly KH x KW outputs;
  // negative means rows/columns that no output reads: crop them.
  const bottom = KH + (OH - 1) * sh - H - top;
  const right = KW + (OW - 1) * sw - W - left;

  // Transposes as rank 3 (spatial dims merged): wasm's rank-3 path is faster than rank 4.
  const [N, , , Ci] = x.shape;
  const Co = dy.shape[3];
  const x3 = reshape(backend, x, [N, H * W, Ci]);
  const x3T = transpose(backend, x3, [2, 1, 0]);
  const xT = reshape(backend, x3T, [Ci, H, W, N]);
  disposeInfos(backend, x3, x3T);
  let xIn = xT;
  if (bottom < 0 || right < 0) {
    const [c, h, w, n] = xT.shape;
    xIn = slice(backend, xT, [0, 0, 0, 0], [c, h + Math.min(bottom, 0), w + Math.min(right, 0), n]);
  }
  const dy3 = reshape(backend, dy, [N, OH * OW, Co]);
  const dy3T = transpose(backend, dy3, [1, 0, 2]);
  const dyT = reshape(backend, dy3T, [OH, OW, N, Co]);
  disposeInfos(backend, dy3, dy3T);
  const out = conv2d(
    backend,
    xIn,
    dyT,
    [top, Math.max(bottom, 0), left, Math.max(right, 0)],
    [1, 1],
    [sh, sw],
  );
  const dW = transpose(backend, out, [1, 2, 0, 3]);
  disposeInfos(backend, xT, xIn === xT ? null : xIn, dyT, out);
  return dW;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
