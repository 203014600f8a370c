// A file another process is writing (a run's metrics.csv), read in whole lines from where the last
// read stopped: a torn last line stays in the file for the next read. A file replaced (a new inode:
// an atomic rewrite) or cut shorter (a run restarted) is read again from its start, and says so.
import { open, stat } from 'node:fs/promises';

export interface GrowingRead {
  /** Whole lines new since the last read; from the file's start when `restarted`. */
  text: string;
  /** The file is not the one read before: what was read of it no longer holds. */
  restarted: boolean;
}

const NEWLINE = 0x0a;

export class GrowingFile {
  private offset = 0;
  private inode: number | null = null;

  constructor(readonly path: string) {}

  /** New whole lines, or null while the file does not exist (after it was removed: once restarted). */
  async read(): Promise<GrowingRead | null> {
    const info = await stat(this.path).catch(() => null);
    if (!info?.isFile()) {
      if (this.inode === null) return null;
      this.inode = null;
      this.offset = 0;
      return { text: '', restarted: true };
    }
    const restarted = this.inode !== null && (info.ino !== this.inode || info.size < this.offset);
    if (this.inode === null || restarted) [this.inode, this.offset] = [info.ino, 0];
    if (info.size === this.offset) return { text: '', restarted };
    const bytes = Buffer.alloc(info.size - this.offset);
    const handle = await open(this.path, 'r');
    let length: number;
    try {
      ({ bytesRead: length } = await handle.read(bytes, 0, bytes.length, this.offset));
    } finally {
      await handle.close();
    }
    // A newline byte never occurs inside a UTF-8 sequence: cutting after one cuts between characters.
    const end = bytes.subarray(0, length).lastIndexOf(NEWLINE) + 1;
    this.offset += end;
    return { text: bytes.subarray(0, end).toString('utf8'), restarted };
  }
}
