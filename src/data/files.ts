// Locating and reading dataset files: each may be stored raw or gzipped (`.gz`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

/** The directory must exist; the message says what the loader expected to find in it. */
export function requireDirectory(dir: string | undefined, dataset: string, expected: string[]): string {
  if (dir === undefined || dir === '') {
    throw new DataError(
      undefined,
      `dataset '${dataset}' needs data.path: a directory holding ${expected.join(', ')} (each raw or .gz)`,
    );
  }
  if (!existsSync(dir)) {
    throw new DataError(
      dir,
      `directory not found; expected it to hold ${expected.join(', ')} (each raw or .gz)`,
    );
  }
  if (!statSync(dir).isDirectory()) throw new DataError(dir, `not a directory (data.path names a directory)`);
  return dir;
}

/**
 * The first of `names` (each also tried with `.gz`) present in `dir`. Several names are allowed
 * because mirrors spell them differently (train-images-idx3-ubyte vs train-images.idx3-ubyte).
 */
export function findFile(dir: string, names: string[]): string {
  for (const name of names) {
    for (const candidate of [name, `${name}.gz`]) {
      const path = join(dir, candidate);
      if (existsSync(path) && statSync(path).isFile()) return path;
    }
  }
  const present = readdirSync(dir).slice(0, 12);
  throw new DataError(
    dir,
    `missing ${names[0]} (or ${names[0]}.gz); the directory holds ${present.length ? present.join(', ') : 'no files'}`,
  );
}

/** File contents, gunzipped when the file is gzip (by its magic bytes, not its name). */
export function readBytes(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new DataError(path, `cannot read: ${(err as Error).message}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (err) {
      throw new DataError(path, `corrupt or truncated gzip data (${(err as Error).message})`);
    }
  }
  return bytes;
}
