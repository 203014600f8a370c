// Checkpoints keyed by parameter name: one file, `checkpoint/ckpt.bin`, replaced atomically.
// Layout: magic "GFCKPT01", uint32 header length, JSON header, zero padding to 4 bytes, then the
// float32 data of every named tensor in header order. The JSON header also carries the trainer's
// own state (step, optimiser hyper-state, data iterator RNG state), so resume is exact.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';

const MAGIC = 'GFCKPT01';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface Checkpoint<State> {
  state: State;
  tensors: NamedArray[];
}

export function checkpointPath(runDir: string): string {
  return join(runDir, 'checkpoint', 'ckpt.bin');
}

export function saveCheckpoint<State>(runDir: string, ckpt: Checkpoint<State>): void {
  const entries = ckpt.tensors.map((t) => ({ name: t.name, shape: t.shape, length: t.data.length }));
  const header = Buffer.from(JSON.stringify({ state: ckpt.state, tensors: entries }));
  const headerEnd = 8 + 4 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const total = dataStart + 4 * entries.reduce((s, e) => s + e.length, 0);
  const buf = Buffer.alloc(total);
  buf.write(MAGIC, 0, 'ascii');
  buf.writeUInt32LE(header.length, 8);
  header.copy(buf, 12);
  let offset = dataStart;
  for (const t of ckpt.tensors) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(buf, offset);
    offset += t.data.byteLength;
  }
  writeFileAtomic(checkpointPath(runDir), buf);
}

export function loadCheckpoint<State>(runDir: string): Checkpoint<State> | null {
  const path = checkpointPath(runDir);
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  if (buf.length < 12 || buf.toString('ascii', 0, 8) !== MAGIC) {
    throw new Error(`${path}: not a gradflow checkpoint (bad magic); delete it to restart the run`);
  }
  const headerLength = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as {
    state: State;
    tensors: { name: string; shape: number[]; length: number }[];
  };
  let offset = Math.ceil((12 + headerLength) / 4) * 4;
  const tensors = header.tensors.map((e) => {
    const bytes = buf.subarray(offset, offset + 4 * e.length);
    if (bytes.length !== 4 * e.length) throw new Error(`${path}: truncated at tensor ${e.name}`);
    offset += 4 * e.length;
    return { name: e.name, shape: e.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
  });
  return { state: header.state, tensors };
}
