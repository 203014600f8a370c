// The batch iterator: coverage per epoch, determinism, exact resume from JSON state, and the
// pad-crop-flip augmentation on a hand-made image.
import { BatchIterator } from '../../src/data/index.js';
import { shiftFlip } from '../../src/data/augment.js';
import type { Split } from '../../src/data/index.js';

/** n examples of shape [2, 2, 1] whose pixels all equal the example index; label = index % 3. */
function indexedSplit(n: number): Split {
  const x = new Float32Array(n * 4);
  for (let i = 0; i < x.length; i++) x[i] = Math.floor(i / 4);
  return { x, y: Int32Array.from({ length: n }, (_, i) => i % 3), n };
}

function ids(batch: { x: Float32Array; size: number }): number[] {
  return Array.from({ length: batch.size }, (_, i) => batch.x[i * 4]);
}

describe('BatchIterator', () => {
  it('visits each example at most once per epoch, drops the last partial batch, reshuffles', () => {
    const split = indexedSplit(23);
    const it = new BatchIterator(split, [2, 2, 1], 5, 7, false);
    expect(it.batchesPerEpoch).toBe(4);
    const epochs: number[][] = [[], []];
    for (let s = 0; s < 8; s++) {
      const b = it.next();
      expect(b.size).toBe(5);
      expect(b.x.length).toBe(20);
      expect(b.epoch).toBe(Math.floor(s / 4));
      expect(b.index).toBe(s % 4);
      // Labels travel with their examples.
      ids(b).forEach((id, i) => expect(b.y[i]).toBe(id % 3));
      epochs[b.epoch].push(...ids(b));
    }
    for (const seen of epochs) {
      expect(seen).toHaveLength(20);
      expect(new Set(seen).size).toBe(20);
    }
    expect(epochs[1]).not.toEqual(epochs[0]);
    // With n a multiple of the batch size every example is seen exactly once.
    const exact = new BatchIterator(indexedSplit(20), [2, 2, 1], 5, 7, false);
    const seen = Array.from({ length: 4 }, () => ids(exact.next()))
      .flat()
      .sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const take = (seed: number) => {
      const it = new BatchIterator(indexedSplit(30), [2, 2, 1], 4, seed, true);
      return Array.from({ length: 10 }, () => Array.from(it.next().x)).flat();
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  it.each([false, true])('resumes from JSON state mid-epoch exactly (augment: %s)', (augment) => {
    const split = indexedSplit(30);
    const shape = [2, 2, 1];
    const a = new BatchIterator(split, shape, 4, 3, augment);
    for (let s = 0; s < 9; s++) a.next(); // two epochs of 7, plus 2 into the second
    const saved = JSON.parse(JSON.stringify(a.state));
    expect(saved.epoch).toBe(1);
    expect(saved.index).toBe(2);
    const b = BatchIterator.restore(split, shape, 4, saved, augment);
    for (let s = 0; s < 20; s++) {
      const [x, y] = [a.next(), b.next()];
      expect(Array.from(y.x)).toEqual(Array.from(x.x));
      expect(Array.from(y.y)).toEqual(Array.from(x.y));
      expect([y.epoch, y.index]).toEqual([x.epoch, x.index]);
    }
  });

  it('refuses a saved state that does not fit the split and batch size', () => {
    const state = new BatchIterator(indexedSplit(40), [2, 2, 1], 2, 0, false).state;
    state.index = 15;
    expect(() => BatchIterator.restore(indexedSplit(20), [2, 2, 1], 4, state, false)).toThrow(
      /saved batch position 15 does not fit 5 batches per epoch/,
    );
  });

  it('refuses a batch larger than the split, and augmentation of vectors', () => {
    expect(() => new BatchIterator(indexedSplit(3), [2, 2, 1], 4, 0, false)).toThrow(
      /batch size 4 exceeds the 3 training examples/,
    );
    expect(() => new BatchIterator(indexedSplit(8), [4], 4, 0, true)).toThrow(/augmentation needs images/);
  });
});

describe('augmentation', () => {
  // 3x3, two channels: channel 0 = 1..9 row-major, channel 1 = its negative.
  const src = new Float32Array(18);
  for (let p = 0; p < 9; p++) [src[2 * p], src[2 * p + 1]] = [p + 1, -(p + 1)];
  const channel = (out: Float32Array, k: number) => Array.from({ length: 9 }, (_, p) => out[2 * p + k]);

  it('flips horizontally', () => {
    const out = new Float32Array(18);
    shiftFlip(src, out, 3, 3, 2, 0, 0, true);
    expect(channel(out, 0)).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect(channel(out, 1)).toEqual([-3, -2, -1, -6, -5, -4, -9, -8, -7]);
  });

  it('crops from the zero-padded image (shift by the crop offset)', () => {
    const out = new Float32Array(18);
    // Crop starting one row down and two columns left of the original corner.
    shiftFlip(src, out, 3, 3, 2, 1, -2, false);
    expect(channel(out, 0)).toEqual([0, 0, 4, 0, 0, 7, 0, 0, 0]);
    shiftFlip(src, out, 3, 3, 2, 0, 0, false);
    expect(Array.from(out)).toEqual(Array.from(src));
  });

  it('in batches, every augmented image is one of the 81 crops x 2 flips of its source', () => {
    const [h, w, n] = [6, 5, 10];
    const size = h * w;
    const x = new Float32Array(n * size);
    for (let i = 0; i < x.length; i++) x[i] = 1 + i; // every pixel distinct, so the source is identifiable
    const it = new BatchIterator({ x, y: new Int32Array(n), n }, [h, w, 1], n, 0, true);
    const b = it.next();
    expect(b.x.length).toBe(n * size);
    const out = new Float32Array(size);
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const img = Array.from(b.x.subarray(i * size, (i + 1) * size));
      const id = Math.max(...img) > 0 ? Math.floor((Math.max(...img) - 1) / size) : -1;
      const source = x.subarray(id * size, (id + 1) * size);
      let match: string | undefined;
      for (let dy = -4; dy <= 4 && !match; dy++) {
        for (let dx = -4; dx <= 4 && !match; dx++) {
          for (const flip of [false, true]) {
            shiftFlip(source, out, h, w, 1, dy, dx, flip);
            if (Array.from(out).every((v, k) => v === img[k])) match = `${dy},${dx},${flip}`;
          }
        }
      }
      expect(match).toBeDefined();
      used.add(match!);
    }
    expect(used.size).toBeGreaterThan(3); // offsets and flips actually vary
  });
});
