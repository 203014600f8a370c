// He et al. 2015's CIFAR augmentation on NHWC typed arrays: pad 4 zero pixels on each side,
// take a random crop of the original size, flip horizontally with probability 1/2. Zero padding
// happens after normalisation, so the pad is the training mean, as in the reference recipe.
import type { Rng } from './rng.js';

export const AUGMENT_PAD = 4;

/** Shifts one HWC image by (dy, dx) pixels (the crop offset minus the pad), zero-filling, then
 *  mirrors it left-right if `flip`. Writes `out`, which must not alias `src`. */
export function shiftFlip(
  src: Float32Array,
  out: Float32Array,
  h: number,
  w: number,
  c: number,
  dy: number,
  dx: number,
  flip: boolean,
): void {
  for (let r = 0; r < h; r++) {
    const sr = r + dy;
    for (let col = 0; col < w; col++) {
      const o = (r * w + col) * c;
      const sc = (flip ? w - 1 - col : col) + dx;
      if (sr < 0 || sr >= h || sc < 0 || sc >= w) {
        for (let k = 0; k < c; k++) out[o + k] = 0;
      } else {
        const s = (sr * w + sc) * c;
        for (let k = 0; k < c; k++) out[o + k] = src[s + k];
      }
    }
  }
}

/** Draws one example's crop offset and flip: three numbers from `rng`, always. */
export function augmentOne(src: Float32Array, out: Float32Array, shape: readonly number[], rng: Rng): void {
  const [h, w, c] = shape;
  const dy = Math.floor(rng() * (2 * AUGMENT_PAD + 1)) - AUGMENT_PAD;
  const dx = Math.floor(rng() * (2 * AUGMENT_PAD + 1)) - AUGMENT_PAD;
  const flip = rng() < 0.5;
  shiftFlip(src, out, h, w, c, dy, dx, flip);
}
