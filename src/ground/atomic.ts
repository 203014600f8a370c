// Atomic file replacement: write a sibling temp file in full, fsync it, rename over the target. A
// reader (or a resumed run after kill -9) sees the old file or the new one, never half of either.
// A failed write (a full disk, a short write) removes its temp file and names the target.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A write that did not complete: the message names the file and the cause (ENOSPC, EIO, ...). */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    cause: string,
  ) {
    super(`cannot write ${path}: ${cause}`);
    this.name = 'WriteError';
  }
}

export const tempSuffix = '.tmp';
export const tempPathOf = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}${tempSuffix}`);

/** writeSync until every byte is down: writeSync may write fewer bytes than asked and say so. */
export function writeFully(fd: number, bytes: Uint8Array, path: string): void {
  let offset = 0;
  while (offset < bytes.length) {
    const n = writeSync(fd, bytes, offset, bytes.length - offset);
    if (n <= 0) throw new WriteError(path, undefined, `wrote ${offset} of ${bytes.length} bytes`);
    offset += n;
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const tmp = tempPathOf(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      writeFully(fd, bytes, path);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    if (err instanceof WriteError) throw err;
    const e = err as NodeJS.ErrnoException;
    const cause = e.code === 'ENOSPC' ? 'no space left on device (ENOSPC)' : e.message;
    throw new WriteError(path, e.code, cause);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
