// Checkpoints keyed by parameter name: one file, `checkpoint/ckpt.bin`, replaced atomically.
// Layout: magic "GFCKPT02", uint32 header length, JSON header, zero padding to 4 bytes, then the
// float32 data of every named tensor in header order. The JSON header carries the trainer's own
// state (step, optimiser hyper-state, data iterator RNG state), so resume is exact, and the byte
// count and SHA-256 of the data, so a short or damaged file is refused instead of half-loaded.
// GFCKPT01 files (no byte count or digest) still load.
import type { Tensor } from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../ground/errors.js';
import { writeFileAtomic } from '../ground/atomic.js';

const MAGIC = 'GFCKPT02';
const MAGIC_V1 = 'GFCKPT01';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A tensor's values for a checkpoint, read asynchronously: a GPU backend (webgpu under Node) has no synchronous read. */
export async function readNamedArray(name: string, t: Tensor): Promise<NamedArray> {
  return { name, shape: t.shape, data: (await t.data()) as Float32Array };
}

export interface Checkpoint<State> {
  state: State;
  tensors: NamedArray[];
}

interface Header<State> {
  state: State;
  tensors: { name: string; shape: number[]; length: number }[];
  dataBytes?: number;
  sha256?: string;
}

/** A checkpoint that cannot be used: the message names the file and what to do about it. */
export class CheckpointError extends UserError {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`${path}: ${what}`);
    this.name = 'CheckpointError';
  }
}

export function checkpointPath(runDir: string): string {
  return join(runDir, 'checkpoint', 'ckpt.bin');
}

/** Writes the checkpoint; returns the SHA-256 of its tensor data. */
export function saveCheckpoint<State>(runDir: string, ckpt: Checkpoint<State>): string {
  const entries = ckpt.tensors.map((t) => ({ name: t.name, shape: t.shape, length: t.data.length }));
  const dataBytes = 4 * entries.reduce((s, e) => s + e.length, 0);
  const data = Buffer.alloc(dataBytes);
  let offset = 0;
  for (const t of ckpt.tensors) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(data, offset);
    offset += t.data.byteLength;
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  const header = Buffer.from(JSON.stringify({ state: ckpt.state, tensors: entries, dataBytes, sha256 }));
  const dataStart = Math.ceil((12 + header.length) / 4) * 4;
  const prefix = Buffer.alloc(dataStart);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(header.length, 8);
  header.copy(prefix, 12);
  writeFileAtomic(checkpointPath(runDir), Buffer.concat([prefix, data]));
  return sha256;
}

function parse<State>(path: string, buf: Buffer): { header: Header<State>; dataStart: number } {
  const magic = buf.length >= 12 ? buf.toString('ascii', 0, 8) : '';
  if (magic !== MAGIC && magic !== MAGIC_V1) {
    throw new CheckpointError(
      path,
      `not a gradflow checkpoint (${buf.length < 12 ? `only ${buf.length} bytes` : 'bad magic'})`,
    );
  }
  const headerLength = buf.readUInt32LE(8);
  if (12 + headerLength > buf.length) {
    throw new CheckpointError(
      path,
      `truncated: its header needs ${12 + headerLength} bytes, the file has ${buf.length}`,
    );
  }
  let header: Header<State>;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as Header<State>;
  } catch (err) {
    throw new CheckpointError(path, `damaged header (${(err as Error).message})`);
  }
  const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
  const expected = 4 * header.tensors.reduce((s, e) => s + e.length, 0);
  if (header.dataBytes !== undefined && header.dataBytes !== expected) {
    throw new CheckpointError(
      path,
      `damaged header (${header.dataBytes} data bytes for tensors of ${expected})`,
    );
  }
  if (buf.length - dataStart !== expected) {
    throw new CheckpointError(path, `truncated: ${buf.length - dataStart} of ${expected} data bytes`);
  }
  return { header, dataStart };
}

/** The state in a checkpoint's header, after checking that the file is whole (size and digest). */
export function verifyCheckpoint<State>(runDir: string): State | null {
  const path = checkpointPath(runDir);
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  const { header, dataStart } = parse<State>(path, buf);
  checkDigest(path, header, buf.subarray(dataStart));
  return header.state;
}

function checkDigest(path: string, header: Header<unknown>, data: Buffer): void {
  if (header.sha256 === undefined) return;
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== header.sha256)
    throw new CheckpointError(path, 'damaged: its data does not match the digest in its header');
}

export function loadCheckpoint<State>(runDir: string): Checkpoint<State> | null {
  const path = checkpointPath(runDir);
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  const { header, dataStart } = parse<State>(path, buf);
  checkDigest(path, header, buf.subarray(dataStart));
  let offset = dataStart;
  const tensors = header.tensors.map((e) => {
    const bytes = buf.subarray(offset, offset + 4 * e.length);
    offset += 4 * e.length;
    return {
      name: e.name,
      shape: e.shape,
      data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    };
  });
  return { state: header.state, tensors };
}
