// Shared helpers for the data tests: checksums and tiny dataset files written by the tests.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataConfig } from '../../src/config/schema.js';

/** SHA-256 over the bytes of the arrays: equal iff (with overwhelming probability) bit-identical. */
export function checksum(...arrays: ArrayBufferView[]): string {
  const hash = createHash('sha256');
  for (const a of arrays) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return hash.digest('hex');
}

export function dataConfig(overrides: Partial<DataConfig>): DataConfig {
  return DataConfig.parse(overrides);
}

const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gradflow-data-${prefix}-`));
  made.push(dir);
  return dir;
}

/** For afterAll: removes every directory tempDir made in this test file. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** An IDX file of unsigned bytes: magic 0x080N, dims, data. */
export function idxBytes(dims: number[], data: Uint8Array, magic = 0x0800 | dims.length): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** Image i has every pixel equal to (i * 7 + pixel) % 256; label i % 10. */
export function tinyImages(
  n: number,
  rows: number,
  cols: number,
): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * rows * cols);
  for (let i = 0; i < images.length; i++)
    images[i] = (Math.floor(i / (rows * cols)) * 7 + (i % (rows * cols))) % 256;
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return { images, labels };
}

/** An MNIST-style directory with `nTrain` / `nTest` images of rows x cols, raw or gzipped. */
export function writeIdxDir(nTrain: number, nTest: number, rows: number, cols: number, gz: boolean): string {
  const dir = tempDir('idx');
  for (const [prefix, n] of [
    ['train', nTrain],
    ['t10k', nTest],
  ] as const) {
    const { images, labels } = tinyImages(n, rows, cols);
    const write = (name: string, bytes: Buffer) =>
      writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
    write(`${prefix}-images-idx3-ubyte`, idxBytes([n, rows, cols], images));
    write(`${prefix}-labels-idx1-ubyte`, idxBytes([n], labels));
  }
  return dir;
}

/** One CIFAR record: label, then R, G, B planes where plane k of record i holds i + 10k + pixel. */
export function cifarBytes(labels: number[]): Buffer {
  const out = Buffer.alloc(labels.length * 3073);
  labels.forEach((label, i) => {
    out[i * 3073] = label;
    for (let k = 0; k < 3; k++) {
      for (let p = 0; p < 1024; p++) out[i * 3073 + 1 + k * 1024 + p] = (i + 10 * k + p) % 256;
    }
  });
  return out;
}

export function writeCifarDir(perBatch: number, nTest: number, nested = false): string {
  const root = tempDir('cifar');
  const dir = nested ? join(root, 'cifar-10-batches-bin') : root;
  mkdirSync(dir, { recursive: true });
  for (let b = 1; b <= 5; b++) {
    writeFileSync(
      join(dir, `data_batch_${b}.bin`),
      cifarBytes(Array.from({ length: perBatch }, (_, i) => (i + b) % 10)),
    );
  }
  writeFileSync(join(dir, 'test_batch.bin'), cifarBytes(Array.from({ length: nTest }, (_, i) => i % 10)));
  return root;
}
