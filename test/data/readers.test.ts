// IDX and CIFAR-10 binary readers: round trips on files the test writes (raw and gzipped), every
// kind of corruption with its message naming the file, and the real Fashion-MNIST if installed.
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset, DataError } from '../../src/data/index.js';
import { UserError } from '../../src/ground/errors.js';
import {
  cifarBytes,
  dataConfig,
  idxBytes,
  removeTempDirs,
  tinyImages,
  writeCifarDir,
  writeIdxDir,
} from './helpers.js';

afterAll(removeTempDirs);

const raw = { normalize: false };

async function expectDataError(
  promise: Promise<unknown>,
  ...fragments: (string | RegExp)[]
): Promise<DataError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a DataError');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  expect(err).toBeInstanceOf(UserError);
  for (const f of fragments) expect((err as Error).message).toMatch(f);
  return err as DataError;
}

describe('IDX reader', () => {
  it.each([false, true])('reads images and labels (gzipped: %s) as NHWC in [0, 1]', async (gz) => {
    const dir = writeIdxDir(12, 5, 3, 4, gz);
    const ds = await loadDataset(dataConfig({ name: 'mnist', path: dir, ...raw }), 0);
    expect(ds.inputShape).toEqual([3, 4, 1]);
    expect(ds.numClasses).toBe(10);
    expect([ds.train.n, ds.test.n]).toEqual([12, 5]);
    expect(ds.train.x.length).toBe(12 * 12);
    const { images, labels } = tinyImages(12, 3, 4);
    expect(Array.from(ds.train.y)).toEqual(Array.from(labels));
    // Pixel 5 of image 7.
    expect(ds.train.x[7 * 12 + 5]).toBeCloseTo(images[7 * 12 + 5] / 255, 6);
  });

  it('accepts the dotted file names some mirrors use', async () => {
    const dir = writeIdxDir(4, 4, 2, 2, false);
    for (const f of ['train-images', 't10k-labels']) {
      const kind = f.endsWith('images') ? 'idx3' : 'idx1';
      writeFileSync(join(dir, `${f}.${kind}-ubyte`), readFileSync(join(dir, `${f}-${kind}-ubyte`)));
      rmSync(join(dir, `${f}-${kind}-ubyte`));
    }
    const ds = await loadDataset(dataConfig({ name: 'fashion-mnist', path: dir }), 0);
    expect(ds.train.n).toBe(4);
  });

  it('names the file with a wrong magic number', async () => {
    const dir = writeIdxDir(4, 4, 2, 2, false);
    const path = join(dir, 'train-images-idx3-ubyte');
    // A labels file (magic 0x801) where images are expected.
    writeFileSync(path, idxBytes([4], new Uint8Array(4)));
    await expectDataError(
      loadDataset(dataConfig({ name: 'mnist', path: dir }), 0),
      path,
      /wrong magic number 0x00000801, expected 0x00000803/,
    );
  });

  it('names a truncated file, raw or gzipped, with the sizes', async () => {
    const dir = writeIdxDir(4, 4, 2, 2, false);
    const path = join(dir, 't10k-images-idx3-ubyte');
    truncateSync(path, 16 + 10);
    await expectDataError(
      loadDataset(dataConfig({ name: 'mnist', path: dir }), 0),
      path,
      /truncated.*4x2x2 \(32 bytes\).*26 bytes/,
    );
    // A gzip stream cut short.
    const gz = gzipSync(idxBytes([4, 2, 2], new Uint8Array(16)));
    rmSync(path);
    writeFileSync(`${path}.gz`, gz.subarray(0, gz.length - 12));
    await expectDataError(loadDataset(dataConfig({ name: 'mnist', path: dir }), 0), `${path}.gz`, /gzip/);
  });

  it('names a label out of range, with its index', async () => {
    const dir = writeIdxDir(4, 4, 2, 2, false);
    const path = join(dir, 'train-labels-idx1-ubyte');
    writeFileSync(path, idxBytes([4], Uint8Array.from([1, 2, 10, 3])));
    await expectDataError(
      loadDataset(dataConfig({ name: 'mnist', path: dir }), 0),
      path,
      /label 10 at index 2 is out of range 0\.\.9/,
    );
  });

  it('names an image/label count mismatch', async () => {
    const dir = writeIdxDir(4, 4, 2, 2, false);
    const path = join(dir, 'train-labels-idx1-ubyte');
    writeFileSync(path, idxBytes([3], Uint8Array.from([1, 2, 3])));
    await expectDataError(
      loadDataset(dataConfig({ name: 'mnist', path: dir }), 0),
      path,
      /3 labels but .*train-images-idx3-ubyte holds 4 images/,
    );
  });

  it('names a missing file and directory with the expected names', async () => {
    const dir = writeIdxDir(4, 4, 2, 2, true);
    rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    await expectDataError(
      loadDataset(dataConfig({ name: 'mnist', path: dir }), 0),
      dir,
      /missing t10k-labels-idx1-ubyte \(or t10k-labels-idx1-ubyte\.gz\)/,
    );
    const missing = join(dir, 'nope');
    await expectDataError(
      loadDataset(dataConfig({ name: 'mnist', path: missing }), 0),
      missing,
      /not found.*train-images-idx3-ubyte/,
    );
    await expectDataError(loadDataset(dataConfig({ name: 'fashion-mnist' }), 0), /needs data\.path/);
  });
});

describe('CIFAR-10 binary reader', () => {
  it.each([false, true])(
    'reads all five batches and the test batch, CHW -> NHWC (nested dir: %s)',
    async (nested) => {
      const dir = writeCifarDir(3, 4, nested);
      const ds = await loadDataset(dataConfig({ name: 'cifar10', path: dir, ...raw }), 0);
      expect(ds.inputShape).toEqual([32, 32, 3]);
      expect([ds.train.n, ds.test.n]).toEqual([15, 4]);
      // Batch 2, record 1: label (1 + 2) % 10; pixel 100's green value = (1 + 10 + 100) / 255.
      const i = 3 + 1;
      expect(ds.train.y[i]).toBe(3);
      expect(ds.train.x[i * 3072 + 100 * 3 + 1]).toBeCloseTo((1 + 10 + 100) / 255, 6);
      expect(ds.train.x[i * 3072 + 100 * 3 + 2]).toBeCloseTo((1 + 20 + 100) / 255, 6);
      expect(Array.from(ds.test.y)).toEqual([0, 1, 2, 3]);
    },
  );

  it('reads a gzipped batch', async () => {
    const dir = writeCifarDir(2, 2);
    const path = join(dir, 'data_batch_3.bin');
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
    rmSync(path);
    const ds = await loadDataset(dataConfig({ name: 'cifar10', path: dir }), 0);
    expect(ds.train.n).toBe(10);
  });

  it('names a truncated batch', async () => {
    const dir = writeCifarDir(2, 2);
    const path = join(dir, 'data_batch_4.bin');
    truncateSync(path, 3073 + 100);
    await expectDataError(
      loadDataset(dataConfig({ name: 'cifar10', path: dir }), 0),
      path,
      /3173 bytes is not a multiple of the 3073-byte record/,
    );
  });

  it('names a label out of range, with its record', async () => {
    const dir = writeCifarDir(2, 2);
    const path = join(dir, 'test_batch.bin');
    writeFileSync(path, cifarBytes([0, 11]));
    await expectDataError(
      loadDataset(dataConfig({ name: 'cifar10', path: dir }), 0),
      path,
      /label 11 of record 1 is out of range 0\.\.9/,
    );
  });

  it('names a missing batch', async () => {
    const dir = writeCifarDir(2, 2);
    rmSync(join(dir, 'data_batch_5.bin'));
    await expectDataError(
      loadDataset(dataConfig({ name: 'cifar10', path: dir }), 0),
      dir,
      /missing data_batch_5\.bin/,
    );
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const haveFashion = existsSync(FASHION);
if (!haveFashion)
  console.log(
    `skipping the real Fashion-MNIST test: ${FASHION} is absent (apt install dataset-fashion-mnist)`,
  );
(haveFashion ? it : it.skip)(
  'loads the real Fashion-MNIST from Debian: 60000/10000, 28x28x1, balanced',
  async () => {
    const ds = await loadDataset(dataConfig({ name: 'fashion-mnist', path: FASHION }), 0);
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect([ds.train.n, ds.test.n]).toEqual([60000, 10000]);
    const counts = new Array(10).fill(0);
    for (const y of ds.train.y) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    expect(ds.stats!.mean[0]).toBeCloseTo(0.286, 2); // the known Fashion-MNIST pixel mean
    expect(ds.stats!.std[0]).toBeCloseTo(0.353, 2);
  },
);
