// Seeded selections: class filters on file data, caps, validation hold-out, label budgets.
import { loadDataset } from '../../src/data/index.js';
import { checksum, dataConfig, removeTempDirs, writeIdxDir } from './helpers.js';

afterAll(removeTempDirs);

const vectors = { name: 'synthetic-vectors' as const, features: 8, normalize: false };

function counts(y: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const v of y) c[v]++;
  return c;
}

/** Rows of x as strings, to identify examples across selections. */
function rows(x: Float32Array, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < x.length / size; i++)
    out.push(Array.from(x.subarray(i * size, (i + 1) * size)).join(','));
  return out;
}

describe('label budget', () => {
  it('is exact per class, seeded, and nests across budgets', async () => {
    const base = { ...vectors, trainSize: 1000, testSize: 100 };
    const b10 = await loadDataset(dataConfig({ ...base, labelsPerClass: 10 }), 0);
    const b10again = await loadDataset(dataConfig({ ...base, labelsPerClass: 10 }), 0);
    const b10other = await loadDataset(dataConfig({ ...base, labelsPerClass: 10 }), 1);
    const b30 = await loadDataset(dataConfig({ ...base, labelsPerClass: 30 }), 0);
    expect(counts(b10.train.y, 10)).toEqual(new Array(10).fill(10));
    expect(counts(b30.train.y, 10)).toEqual(new Array(10).fill(30));
    expect(checksum(b10.train.x, b10.train.y)).toBe(checksum(b10again.train.x, b10again.train.y));
    expect(checksum(b10.train.x)).not.toBe(checksum(b10other.train.x));
    const bigger = new Set(rows(b30.train.x, 8));
    expect(rows(b10.train.x, 8).every((r) => bigger.has(r))).toBe(true);
    // The eval split does not depend on the budget.
    expect(checksum(b10.test.x)).toBe(checksum(b30.test.x));
  });

  it('draws a fresh subset for each run seed from the same examples', async () => {
    const base = { ...vectors, trainSize: 1000, testSize: 100, labelsPerClass: 10 };
    const [s0, s0again, s1, full] = await Promise.all([
      loadDataset(dataConfig(base), 0, 0),
      loadDataset(dataConfig(base), 0, 0),
      loadDataset(dataConfig(base), 0, 1),
      loadDataset(dataConfig({ ...base, labelsPerClass: undefined, normalize: false }), 0, 1),
    ]);
    expect(rows(s0.train.x, 8)).toEqual(rows(s0again.train.x, 8));
    expect(counts(s1.train.y, 10)).toEqual(new Array(10).fill(10));
    const first = new Set(rows(s0.train.x, 8));
    const shared = rows(s1.train.x, 8).filter((r) => first.has(r)).length;
    expect(shared).toBeLessThan(50); // about 1 in 10 by chance, not the same draw
    expect(checksum(s0.test.x)).toBe(checksum(s1.test.x));
    // Both draws come from the same pool of examples (compared before normalisation).
    const raw = (seed: number) =>
      loadDataset(dataConfig({ ...base, normalize: false }), 0, seed).then((d) => rows(d.train.x, 8));
    const pool = new Set(rows(full.train.x, 8));
    for (const seed of [0, 1]) expect((await raw(seed)).every((r) => pool.has(r))).toBe(true);
  });

  it('refuses a budget larger than a class', async () => {
    await expect(
      loadDataset(dataConfig({ ...vectors, trainSize: 100, labelsPerClass: 11 }), 0),
    ).rejects.toThrow(/labelsPerClass is 11 but class \d has only 10 training examples/);
  });
});

describe('validation hold-out', () => {
  it('holds out a stratified, seeded fraction of train and evaluates on it', async () => {
    const full = await loadDataset(dataConfig({ ...vectors, trainSize: 1000, testSize: 200 }), 0);
    const ds = await loadDataset(
      dataConfig({ ...vectors, trainSize: 1000, testSize: 200, validation: 0.1 }),
      0,
    );
    expect(ds.evalSplit).toBe('val');
    expect(full.evalSplit).toBe('test');
    expect([ds.train.n, ds.test.n]).toEqual([900, 100]);
    expect(counts(ds.test.y, 10)).toEqual(new Array(10).fill(10));
    // Train and validation partition the original training examples.
    const all = rows(full.train.x, 8).sort();
    const parts = [...rows(ds.train.x, 8), ...rows(ds.test.x, 8)].sort();
    expect(parts).toEqual(all);
    const again = await loadDataset(
      dataConfig({ ...vectors, trainSize: 1000, testSize: 200, validation: 0.1 }),
      0,
    );
    expect(checksum(again.test.x)).toBe(checksum(ds.test.x));
    const other = await loadDataset(
      dataConfig({ ...vectors, trainSize: 1000, testSize: 200, validation: 0.1 }),
      2,
    );
    expect(checksum(other.test.x)).not.toBe(checksum(ds.test.x));
  });

  it('normalises with the statistics of what remains in train', async () => {
    const ds = await loadDataset(
      dataConfig({ ...vectors, normalize: true, trainSize: 500, validation: 0.2 }),
      0,
    );
    let sum = 0;
    for (let i = 3; i < ds.train.x.length; i += 8) sum += ds.train.x[i];
    expect(sum / ds.train.n).toBeCloseTo(0, 4);
  });
});

describe('file data selections', () => {
  it('filters classes (relabelled in order) and caps sizes, seeded', async () => {
    // 40 train images with labels i % 10, 20 test images.
    const dir = writeIdxDir(40, 20, 2, 2, false);
    const ds = await loadDataset(
      dataConfig({ name: 'mnist', path: dir, classes: [3, 1], normalize: false }),
      0,
    );
    expect(ds.numClasses).toBe(2);
    expect(ds.train.n).toBe(8);
    expect(counts(ds.train.y, 2)).toEqual([4, 4]);
    // Image i's first pixel is (7 i) % 256 / 255: label 0 must be the old class 3 (i = 3, 13, ...).
    for (let k = 0; k < ds.train.n; k++) {
      const i = Math.round((ds.train.x[k * 4] * 255) / 7);
      expect(ds.train.y[k]).toBe(i % 10 === 3 ? 0 : 1);
    }
    const capped = await loadDataset(dataConfig({ name: 'mnist', path: dir, trainSize: 15, testSize: 5 }), 0);
    const cappedAgain = await loadDataset(
      dataConfig({ name: 'mnist', path: dir, trainSize: 15, testSize: 5 }),
      0,
    );
    expect([capped.train.n, capped.test.n]).toEqual([15, 5]);
    expect(checksum(capped.train.x)).toBe(checksum(cappedAgain.train.x));
    await expect(loadDataset(dataConfig({ name: 'mnist', path: dir, classes: [3, 12] }), 0)).rejects.toThrow(
      /label 12 does not exist in mnist/,
    );
  });
});
