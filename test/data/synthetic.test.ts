// The synthetic tasks: seeded and reproducible, the right shapes and labels, balanced classes,
// normalised with the training statistics.
import { loadDataset } from '../../src/data/index.js';
import { generateSyntheticImages, makeSyntheticTask } from '../../src/data/synthetic-images.js';
import { checksum, dataConfig } from './helpers.js';

function classCounts(y: Int32Array, k: number): number[] {
  const counts = new Array(k).fill(0);
  for (const v of y) counts[v]++;
  return counts;
}

describe('synthetic images', () => {
  const small = { trainSize: 200, testSize: 100 };

  it('same seed gives bit-identical data; another seed differs', async () => {
    const a = await loadDataset(dataConfig({ size: 20, ...small }), 3);
    const b = await loadDataset(dataConfig({ size: 20, ...small }), 3);
    const c = await loadDataset(dataConfig({ size: 20, ...small }), 4);
    expect(checksum(a.train.x, a.train.y, a.test.x, a.test.y)).toBe(
      checksum(b.train.x, b.train.y, b.test.x, b.test.y),
    );
    expect(checksum(c.train.x)).not.toBe(checksum(a.train.x));
    // Train and test are different draws, not copies.
    expect(checksum(a.train.x.subarray(0, a.test.x.length))).not.toBe(checksum(a.test.x));
  });

  it('pins the generator: a change to the images shows up here (update the constant deliberately)', () => {
    const s = generateSyntheticImages({
      count: 20,
      size: 12,
      channels: 3,
      classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      seed: 0,
      purpose: 'train',
    });
    expect(checksum(s.x, s.y)).toBe(PINNED_CHECKSUM);
  });

  it.each([
    [28, 1],
    [32, 3],
    [16, 1],
  ])('%ix%i images have the right shape, labels and balance', async (size, channels) => {
    const ds = await loadDataset(dataConfig({ size, channels, ...small, normalize: false }), 0);
    expect(ds.inputShape).toEqual([size, size, channels]);
    expect(ds.numClasses).toBe(10);
    expect(ds.train.x.length).toBe(200 * size * size * channels);
    expect(ds.test.x.length).toBe(100 * size * size * channels);
    expect(classCounts(ds.train.y, 10)).toEqual(new Array(10).fill(20));
    expect(classCounts(ds.test.y, 10)).toEqual(new Array(10).fill(10));
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.train.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max - min).toBeGreaterThan(0.5);
  });

  it('classes are not told apart by mean intensity alone', async () => {
    // Classify each test image by the class whose average image mean is closest to its own:
    // near chance (90% error) if intensity carries no label information.
    const ds = await loadDataset(
      dataConfig({ size: 16, trainSize: 2000, testSize: 1000, normalize: false }),
      0,
    );
    const pix = 16 * 16;
    const imageMean = (x: Float32Array, i: number) => {
      let s = 0;
      for (let p = 0; p < pix; p++) s += x[i * pix + p];
      return s / pix;
    };
    const classMean = new Array(10).fill(0);
    for (let i = 0; i < ds.train.n; i++) classMean[ds.train.y[i]] += imageMean(ds.train.x, i) / 200;
    let wrong = 0;
    for (let i = 0; i < ds.test.n; i++) {
      const m = imageMean(ds.test.x, i);
      const guess = classMean.reduce(
        (best, cm, c) => (Math.abs(cm - m) < Math.abs(classMean[best] - m) ? c : best),
        0,
      );
      if (guess !== ds.test.y[i]) wrong++;
    }
    expect(wrong / ds.test.n).toBeGreaterThan(0.8);
  });

  it('sibling classes share their primitives and cells but not the arrangement', () => {
    const task = makeSyntheticTask();
    for (let c = 0; c < 10; c += 2) {
      const [a, b] = [task.classes[c], task.classes[c + 1]];
      expect([...b.kinds].sort()).toEqual([...a.kinds].sort());
      expect(b.cells).toEqual(a.cells);
      expect(b.kinds).not.toEqual(a.kinds);
    }
  });

  it('normalises per channel with the training statistics', async () => {
    const ds = await loadDataset(dataConfig({ size: 16, channels: 3, ...small }), 1);
    const before = await loadDataset(dataConfig({ size: 16, channels: 3, ...small, normalize: false }), 1);
    expect(ds.stats!.mean).toHaveLength(3);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let sq = 0;
      let rawSum = 0;
      const n = ds.train.x.length / 3;
      for (let i = c; i < ds.train.x.length; i += 3) {
        sum += ds.train.x[i];
        sq += ds.train.x[i] ** 2;
        rawSum += before.train.x[i];
      }
      expect(sum / n).toBeCloseTo(0, 4);
      expect(Math.sqrt(sq / n)).toBeCloseTo(1, 3);
      expect(ds.stats!.mean[c]).toBeCloseTo(rawSum / n, 5);
    }
    // The test split uses the training statistics: x_test = (raw - mean) / std.
    const i = 123 * 3 + 2;
    expect(ds.test.x[i]).toBeCloseTo((before.test.x[i] - ds.stats!.mean[2]) / ds.stats!.std[2], 4);
  });

  it('a class filter generates only the kept classes, relabelled in the given order', async () => {
    const ds = await loadDataset(
      dataConfig({ classes: [7, 2, 5], trainSize: 300, testSize: 90, normalize: false }),
      0,
    );
    expect(ds.numClasses).toBe(3);
    expect(classCounts(ds.train.y, 3)).toEqual([100, 100, 100]);
    expect(classCounts(ds.test.y, 3)).toEqual([30, 30, 30]);
  });

  it('rejects classes that do not exist', async () => {
    await expect(loadDataset(dataConfig({ classes: [0, 10] }), 0)).rejects.toThrow(
      /label 10 does not exist in synthetic/,
    );
    await expect(loadDataset(dataConfig({ classes: [1, 1] }), 0)).rejects.toThrow(/listed twice/);
  });
});

describe('synthetic vectors', () => {
  it('is seeded, shaped [features], balanced and normalised', async () => {
    const cfg = dataConfig({ name: 'synthetic-vectors', features: 20, trainSize: 1000, testSize: 300 });
    const a = await loadDataset(cfg, 0);
    const b = await loadDataset(cfg, 0);
    const c = await loadDataset(cfg, 1);
    expect(a.inputShape).toEqual([20]);
    expect(a.train.x.length).toBe(20000);
    expect(checksum(a.train.x, a.test.x)).toBe(checksum(b.train.x, b.test.x));
    expect(checksum(a.train.x)).not.toBe(checksum(c.train.x));
    expect(classCounts(a.train.y, 10)).toEqual(new Array(10).fill(100));
    expect(a.stats!.mean).toHaveLength(20);
    let sum = 0;
    for (let i = 5; i < a.train.x.length; i += 20) sum += a.train.x[i];
    expect(sum / 1000).toBeCloseTo(0, 4);
  });

  it('is not linearly trivial: nearest class mean misclassifies many examples', async () => {
    const ds = await loadDataset(
      dataConfig({ name: 'synthetic-vectors', features: 16, trainSize: 2000, testSize: 500 }),
      0,
    );
    const f = 16;
    const means = Array.from({ length: 10 }, () => new Float64Array(f));
    for (let i = 0; i < ds.train.n; i++)
      for (let d = 0; d < f; d++) means[ds.train.y[i]][d] += ds.train.x[i * f + d] / 200;
    let wrong = 0;
    for (let i = 0; i < ds.test.n; i++) {
      let best = -1;
      let bestD = Infinity;
      means.forEach((m, c) => {
        let dist = 0;
        for (let d = 0; d < f; d++) dist += (ds.test.x[i * f + d] - m[d]) ** 2;
        if (dist < bestD) [best, bestD] = [c, dist];
      });
      if (best !== ds.test.y[i]) wrong++;
    }
    const error = wrong / ds.test.n;
    expect(error).toBeGreaterThan(0.2); // not solvable by class centroids
    expect(error).toBeLessThan(0.9); // but the features carry the label
  });
});

// The generator's output for a fixed seed, bit for bit. It must be the same on every machine; change
// it only with a deliberate change to the task (which makes older results incomparable).
const PINNED_CHECKSUM = '4ade688dd39ed6dde7683119174fa1519272d41c649b735bf833f228fc32fa32';
