// What the wasm batch-norm kernels (GradflowBatchNorm, GradflowBatchNormGrad; contract in
// batch_norm_training.ts) share.
// Built from XNNPACK calls, which are SIMD and threaded: per-channel sums by average pooling
// (wasm's Sum over every axis but the last transposes the whole tensor first, ~5x slower), and
// the per-channel affine maps y = x*a + b as a 1x1 depthwise conv with bias (broadcasting
// multiply-then-add is two passes, 5x slower). A plain JS loop over the heap is ~10x slower.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeInfos, heapF32, makeF32, runWasmKernel, type TensorInfo } from '../kernel_utils.js';

export type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

export function checkInput(x: TensorInfo, kernel: string): [rows: number, channels: number] {
  if (x.shape.length < 2 || x.dtype !== 'float32') {
    throw new Error(`${kernel}: x must be float32 with rank >= 2, got ${x.dtype} [${x.shape}]`);
  }
  const channels = x.shape[x.shape.length - 1];
  return [x.shape.reduce((p, d) => p * d, 1) / channels, channels];
}

/**
 * Per-channel sums of t [..., C] (rows = size / C). Viewed as [B, R, 1, C], one XNNPACK average
 * pool over R gives B partial means, combined here in float64. (A matmul ones[1,rows] @ t would
 * repack t as weights on every call, 10x slower.)
 */
export function channelSums(backend: BackendWasm, t: TensorInfo, rows: number, c: number): Float64Array {
  const batch = t.shape.length > 2 ? t.shape[0] : 1;
  const r = rows / batch;
  const t4 = runWasmKernel(backend, 'Reshape', { x: t }, { shape: [batch, r, 1, c] });
  const pooled = runWasmKernel(
    backend,
    'AvgPool',
    { x: t4 },
    { filterSize: [r, 1], strides: [r, 1], pad: 'valid' },
  );
  const partial = heapF32(backend, pooled);
  const sums = new Float64Array(c);
  for (let b = 0; b < batch; b++) for (let j = 0; j < c; j++) sums[j] += partial[b * c + j] * r;
  disposeInfos(backend, t4, pooled);
  return sums;
}

/** t*a + b per channel: a 1x1 depthwise conv with bias, one memory-bound XNNPACK pass. */
export function affine(
  backend: BackendWasm,
  t: TensorInfo,
  a: Float32Array,
  b: Float32Array,
  rows: number,
): TensorInfo {
  const c = a.length;
  const filter = makeF32(backend, [1, 1, c, 1], a);
  const bias = makeF32(backend, [c], b);
  const t4 = runWasmKernel(
    backend,
    'Reshape',
    { x: t },
    { shape: t.shape.length === 4 ? t.shape : [1, rows, 1, c] },
  );
  const y4 = runWasmKernel(
    backend,
    'FusedDepthwiseConv2D',
    { x: t4, filter, bias },
    {
      strides: [1, 1],
      pad: 'valid',
      dilations: [1, 1],
      dataFormat: 'NHWC',
      activation: 'linear',
      leakyreluAlpha: 0,
    },
  );
  const y = runWasmKernel(backend, 'Reshape', { x: y4 }, { shape: t.shape });
  disposeInfos(backend, filter, bias, t4, y4);
  return y;
}
