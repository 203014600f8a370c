// Training-mode batch norm for wasm as two kernels with the same contract as the native ones
// (src/engine/native/batchNorm.ts): `GradflowBatchNorm` (x, scale, offset -> y, mean, variance)
// and `GradflowBatchNormGrad` (dy, x, scale, mean, variance -> dx, dscale, doffset).
// Built from XNNPACK calls, which are SIMD and threaded: per-channel sums by average pooling
// (wasm's Sum over every axis but the last transposes the whole tensor first, ~5x slower), and
// the per-channel affine maps y = x*a + b as a 1x1 depthwise conv with bias (broadcasting
// multiply-then-add is two passes, 5x slower). A plain JS loop over the heap is ~10x slower.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_KERNEL } from '../native/batchNorm.js';
import { disposeInfos, heapF32, makeF32, runWasmKernel, type TensorInfo } from './wasm_util.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

function checkInput(x: TensorInfo, kernel: string): [rows: number, channels: number] {
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
function channelSums(backend: BackendWasm, t: TensorInfo, rows: number, c: number): Float64Array {
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
function affine(
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

function batchNormForward(args: Args): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, scale, offset } = args.inputs as Record<string, TensorInfo>;
  const epsilon = args.attrs.epsilon as number;
  const [rows, C] = checkInput(x, BATCH_NORM_KERNEL);
  const s1 = channelSums(backend, x, rows, C);
  const means = new Float32Array(C);
  for (let c = 0; c < C; c++) means[c] = s1[c] / rows;
  const mean = makeF32(backend, [C], means);
  // Two passes (centre, then square) keep the variance accurate when |mean| >> std.
  const centred = affine(
    backend,
    x,
    new Float32Array(C).fill(1),
    means.map((m) => -m),
    rows,
  );
  const sq = runWasmKernel(backend, 'Multiply', { a: centred, b: centred }, {});
  const s2 = channelSums(backend, sq, rows, C);
  disposeInfos(backend, centred, sq);
  const vars = new Float32Array(C);
  for (let c = 0; c < C; c++) vars[c] = s2[c] / rows;
  const variance = makeF32(backend, [C], vars);
  const gamma = heapF32(backend, scale);
  const beta = heapF32(backend, offset);
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    a[c] = gamma[c] / Math.sqrt(vars[c] + epsilon);
    b[c] = beta[c] - means[c] * a[c];
  }
  const y = affine(backend, x, a, b, rows);
  return [y, mean, variance];
}

function batchNormBackward(args: Args): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { dy, x, scale, mean, variance } = args.inputs as Record<string, TensorInfo>;
  const epsilon = args.attrs.epsilon as number;
  const [rows, C] = checkInput(x, BATCH_NORM_GRAD_KERNEL);
  const sumDy = channelSums(backend, dy, rows, C);
  const dyX = runWasmKernel(backend, 'Multiply', { a: dy, b: x }, {});
  const sumDyX = channelSums(backend, dyX, rows, C);
  disposeInfos(backend, dyX);
  const gamma = heapF32(backend, scale);
  const means = heapF32(backend, mean);
  const vars = heapF32(backend, variance);
  // dx = gamma*invStd * (dy - dbeta/n - xhat*dgamma/n) = dy*a + x*b + k per channel.
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  const k = new Float32Array(C);
  const zeros = new Float32Array(C);
  const dGamma = new Float32Array(C);
  const dBeta = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const invStd = 1 / Math.sqrt(vars[c] + epsilon);
    dGamma[c] = (sumDyX[c] - means[c] * sumDy[c]) * invStd;
    dBeta[c] = sumDy[c];
    a[c] = gamma[c] * invStd;
    b[c] = (-a[c] * dGamma[c] * invStd) / rows;
    k[c] = (-a[c] * sumDy[c]) / rows - b[c] * means[c];
  }
  const dyPart = affine(backend, dy, a, k, rows);
  const xPart = affine(backend, x, b, zeros, rows);
  const dx = runWasmKernel(backend, 'Add', { a: dyPart, b: xPart }, {});
  disposeInfos(backend, dyPart, xPart);
  return [dx, makeF32(backend, [C], dGamma), makeF32(backend, [C], dBeta)];
}

export const batchNormConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_KERNEL,
  backendName: 'wasm',
  kernelFunc: batchNormForward as unknown as tf.KernelFunc,
};

export const batchNormGradConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: batchNormBackward as unknown as tf.KernelFunc,
};
