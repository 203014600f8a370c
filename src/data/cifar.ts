// CIFAR-10 binary version: each record is 1 label byte then 3072 pixel bytes, channel-major
// (1024 red, 1024 green, 1024 blue, rows of 32). https://www.cs.toronto.edu/~kriz/cifar.html
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from './errors.js';
import { findFile, readBytes, requireDirectory } from './files.js';
import type { Split } from './types.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;
const TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST_FILE = 'test_batch.bin';

/** Parses one batch file, converting CHW to NHWC and bytes to [0, 1]. */
export function parseCifarBatch(bytes: Uint8Array, path: string, numClasses = 10): Split {
  if (bytes.length === 0) throw new DataError(path, 'file is empty');
  if (bytes.length % RECORD !== 0) {
    throw new DataError(
      path,
      `file is truncated or not CIFAR-10 binary: ${bytes.length} bytes is not a multiple of the ${RECORD}-byte record (1 label + 3072 pixels); ${Math.floor(bytes.length / RECORD)} whole records`,
    );
  }
  const n = bytes.length / RECORD;
  const x = new Float32Array(n * 3 * PLANE);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * RECORD;
    const label = bytes[base];
    if (label >= numClasses) {
      throw new DataError(path, `label ${label} of record ${i} is out of range 0..${numClasses - 1}`);
    }
    y[i] = label;
    const out = i * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      x[out + 3 * p] = bytes[base + 1 + p] / 255;
      x[out + 3 * p + 1] = bytes[base + 1 + PLANE + p] / 255;
      x[out + 3 * p + 2] = bytes[base + 1 + 2 * PLANE + p] / 255;
    }
  }
  return { x, y, n };
}

function concat(splits: Split[]): Split {
  const n = splits.reduce((a, s) => a + s.n, 0);
  const x = new Float32Array(splits.reduce((a, s) => a + s.x.length, 0));
  const y = new Int32Array(n);
  let xo = 0;
  let yo = 0;
  for (const s of splits) {
    x.set(s.x, xo);
    y.set(s.y, yo);
    xo += s.x.length;
    yo += s.n;
  }
  return { x, y, n };
}

/** The batch files under `path`, or under its cifar-10-batches-bin/ (how the tarball unpacks). */
function cifarFiles(path: string | undefined): { trainPaths: string[]; testPath: string } {
  let dir = requireDirectory(path, 'cifar10', [...TRAIN_FILES, TEST_FILE]);
  const nested = join(dir, 'cifar-10-batches-bin');
  if (!existsSync(join(dir, TEST_FILE)) && !existsSync(join(dir, `${TEST_FILE}.gz`)) && existsSync(nested))
    dir = nested;
  return {
    trainPaths: TRAIN_FILES.map((name) => findFile(dir, [name])),
    testPath: findFile(dir, [TEST_FILE]),
  };
}

/** Every file loadCifarDirectory reads, in a fixed order. */
export function cifarDirectoryFiles(path: string | undefined): string[] {
  const { trainPaths, testPath } = cifarFiles(path);
  return [...trainPaths, testPath];
}

/** The directory holding the .bin files, or its cifar-10-batches-bin/ (how the tarball unpacks). */
export function loadCifarDirectory(path: string | undefined): {
  train: Split;
  test: Split;
  inputShape: number[];
} {
  const { trainPaths, testPath } = cifarFiles(path);
  const train = concat(trainPaths.map((p) => parseCifarBatch(readBytes(p), p)));
  const test = parseCifarBatch(readBytes(testPath), testPath);
  return { train, test, inputShape: [SIDE, SIDE, 3] };
}
