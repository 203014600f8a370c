// IDX files (MNIST, Fashion-MNIST): big-endian header [0, 0, type, ndims] then ndims uint32
// dimensions, then the unsigned bytes. http://yann.lecun.com/exdb/mnist/ describes the format.
import { DataError } from './errors.js';
import { findFile, readBytes, requireDirectory } from './files.js';
import type { Split } from './types.js';

const UBYTE = 0x08;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses and validates one IDX file of unsigned bytes with `ndims` dimensions. */
export function parseIdx(bytes: Uint8Array, path: string, ndims: number): IdxArray {
  const expectedMagic = 0x0800 | ndims;
  if (bytes.length < 4) throw new DataError(path, `file is truncated: ${bytes.length} bytes, no IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    const hex = (m: number) => `0x${m.toString(16).padStart(8, '0')}`;
    const got =
      bytes[0] === 0 && bytes[1] === 0 && bytes[2] === UBYTE
        ? `an IDX file with ${bytes[3]} dimensions`
        : 'not an IDX file of unsigned bytes';
    throw new DataError(path, `wrong magic number ${hex(magic)}, expected ${hex(expectedMagic)} (${got})`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes)
    throw new DataError(path, `file is truncated inside its header (${bytes.length} bytes)`);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d));
  const expected = headerBytes + dims.reduce((a, b) => a * b, 1);
  if (bytes.length < expected) {
    throw new DataError(
      path,
      `file is truncated: header says ${dims.join('x')} (${expected} bytes) but the file has ${bytes.length} bytes`,
    );
  }
  if (bytes.length > expected) {
    throw new DataError(
      path,
      `file has ${bytes.length - expected} bytes beyond the ${dims.join('x')} its header declares`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Labels must lie in 0..numClasses-1; names the first offender. */
export function checkLabels(labels: Uint8Array, numClasses: number, path: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses) {
      throw new DataError(path, `label ${labels[i]} at index ${i} is out of range 0..${numClasses - 1}`);
    }
  }
}

/** The image and label files of one split. */
function idxSplitFiles(dir: string, prefix: 'train' | 't10k'): { imagePath: string; labelPath: string } {
  return {
    imagePath: findFile(dir, [`${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`]),
    labelPath: findFile(dir, [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`]),
  };
}

/** Every file loadIdxDirectory reads, in a fixed order. */
export function idxDirectoryFiles(path: string | undefined, dataset: string): string[] {
  const dir = requireDirectory(path, dataset, IDX_FILES);
  return (['train', 't10k'] as const).flatMap((prefix) => Object.values(idxSplitFiles(dir, prefix)));
}

/** Pixels scaled to [0, 1], as an [n, rows, cols, 1] split. */
function readIdxSplit(
  dir: string,
  prefix: 'train' | 't10k',
  numClasses: number,
): { split: Split; shape: number[]; imagePath: string } {
  const { imagePath, labelPath } = idxSplitFiles(dir, prefix);
  const images = parseIdx(readBytes(imagePath), imagePath, 3);
  const labels = parseIdx(readBytes(labelPath), labelPath, 1);
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DataError(labelPath, `holds ${labels.dims[0]} labels but ${imagePath} holds ${n} images`);
  }
  if (n === 0) throw new DataError(imagePath, 'holds no images');
  checkLabels(labels.data, numClasses, labelPath);
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  return { split: { x, y: Int32Array.from(labels.data), n }, shape: [rows, cols, 1], imagePath };
}

export const IDX_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** MNIST-style directory: train-* and t10k-* image and label files. */
export function loadIdxDirectory(
  path: string | undefined,
  dataset: string,
  numClasses = 10,
): { train: Split; test: Split; inputShape: number[] } {
  const dir = requireDirectory(path, dataset, IDX_FILES);
  const train = readIdxSplit(dir, 'train', numClasses);
  const test = readIdxSplit(dir, 't10k', numClasses);
  if (train.shape.join() !== test.shape.join()) {
    throw new DataError(
      test.imagePath,
      `images are ${test.shape.slice(0, 2).join('x')} but ${train.imagePath} holds ${train.shape.slice(0, 2).join('x')}`,
    );
  }
  return { train: train.split, test: test.split, inputShape: train.shape };
}
