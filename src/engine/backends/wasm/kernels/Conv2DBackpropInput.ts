// Conv2DBackpropInput for wasm. The stock kernel runs ~10x slower than the forward conv; here dx
// is computed with XNNPACK's forward conv. For stride 1, dx = conv(dy, W flipped in space with
// in/out channels swapped). For stride s > 1 the zero-inserted dy would waste (s*s-1)/(s*s) of
// the work, so dx is split by output phase (sub-pixel): rows h = s*i + ph only meet kernel rows
// kh = (ph + padTop) mod s + s*m, so each phase is a small stride-1 conv of dy with that
// sub-kernel; the phases are then interleaved by one transpose.
import * as tf from '@tensorflow/tfjs';
import {
  conv2d,
  convGradientArgs,
  disposeInfos,
  heapF32,
  type KernelArgs,
  makeF32,
  slice,
  type TensorInfo,
} from '../kernel_utils.js';

interface AxisPhase {
  /** Kernel indices in conv order (already flipped); empty: this phase gets no contribution. */
  taps: number[];
  /** dy padding before/after this phase's conv; negative: crop that many rows of dy. */
  before: number;
  after: number;
}

/** One spatial axis: kernel size k, stride s, pad-before p, dy size outSize, phase output size n. */
export function axisPhases(k: number, s: number, p: number, outSize: number, n: number): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let ph = 0; ph < s; ph++) {
    const r = (ph + p) % s;
    const q = Math.floor((ph + p) / s);
    const m = r < k ? Math.ceil((k - r) / s) : 0;
    // dx[s*i+ph] = sum_m dy[i+q-m] * w[r+s*m]; in conv order a = m'-1-m reads dy[i + q-(m'-1) + a].
    const taps = Array.from({ length: m }, (_, a) => r + s * (m - 1 - a));
    const before = m - 1 - q;
    const after = n + m - 1 - outSize - before;
    phases.push({ taps, before, after });
  }
  return phases;
}

/** Sub-kernel [taps_h, taps_w, Co, Ci] from filter [KH, KW, Ci, Co]. */
function subKernel(w: Float32Array, shape: number[], tapsH: number[], tapsW: number[]): Float32Array {
  const [, KW, Ci, Co] = shape;
  const out = new Float32Array(tapsH.length * tapsW.length * Co * Ci);
  let o = 0;
  for (const kh of tapsH) {
    for (const kw of tapsW) {
      const base = (kh * KW + kw) * Ci * Co;
      for (let co = 0; co < Co; co++) {
        for (let ci = 0; ci < Ci; ci++) out[o++] = w[base + ci * Co + co];
      }
    }
  }
  return out;
}

function conv2DBackpropInput(args: KernelArgs) {
  const { backend, dy, filter, info } = convGradientArgs('Conv2DBackpropInput', args, 'filter');
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;
  const hh = Math.ceil(H / sh);
  const ww = Math.ceil(W / sw);
  const rows = axisPhases(KH, sh, info.padInfo.top, OH, hh);
  const cols = axisPhases(KW, sw, info.padInfo.left, OW, ww);
  const w = heapF32(backend, filter).slice();

  const phaseOutputs: TensorInfo[] = [];
  for (const rp of rows) {
    for (const cp of cols) {
      const usedRows = OH - Math.max(-rp.before, 0) - Math.max(-rp.after, 0);
      const usedCols = OW - Math.max(-cp.before, 0) - Math.max(-cp.after, 0);
      if (rp.taps.length === 0 || cp.taps.length === 0 || usedRows <= 0 || usedCols <= 0) {
        const zeros = backend.makeOutput([N, hh, ww, Ci], 'float32');
        heapF32(backend, zeros).fill(0);
        phaseOutputs.push(zeros);
        continue;
      }
      const k = makeF32(
        backend,
        [rp.taps.length, cp.taps.length, dy.shape[3], Ci],
        subKernel(w, filter.shape, rp.taps, cp.taps),
      );
      let input = dy;
      if (rp.before < 0 || rp.after < 0 || cp.before < 0 || cp.after < 0) {
        const top = Math.max(-rp.before, 0);
        const left = Math.max(-cp.before, 0);
        input = slice(backend, dy, [0, top, left, 0], [N, usedRows, usedCols, dy.shape[3]]);
      }
      const pads: [number, number, number, number] = [
        Math.max(rp.before, 0),
        Math.max(rp.after, 0),
        Math.max(cp.before, 0),
        Math.max(cp.after, 0),
      ];
      phaseOutputs.push(conv2d(backend, input, k, pads));
      disposeInfos(backend, k, input === dy ? null : input);
    }
  }
  if (sh === 1 && sw === 1) return phaseOutputs[0];

  // Interleave in one JS pass straight into dx (dx[n, s*i+ph, s*j+pw] = phase(ph,pw)[n, i, j]).
  // wasm's DepthToSpace and rank-6 Transpose are generic scalar loops, 10-30x slower than this.
  const out = backend.makeOutput([N, H, W, Ci], 'float32');
  const dx = heapF32(backend, out);
  phaseOutputs.forEach((phase, p) => {
    const ph = Math.floor(p / sw);
    const pw = p % sw;
    const src = heapF32(backend, phase);
    for (let n = 0; n < N; n++) {
      for (let i = 0, h = ph; i < hh && h < H; i++, h += sh) {
        for (let j = 0, w = pw; j < ww && w < W; j++, w += sw) {
          const from = ((n * hh + i) * ww + j) * Ci;
          const to = ((n * H + h) * W + w) * Ci;
          for (let c = 0; c < Ci; c++) dx[to + c] = src[from + c];
        }
      }
    }
  });
  disposeInfos(backend, ...phaseOutputs);
  return out;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
