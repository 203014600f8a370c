// The `native` backend object: the cpu backend plus a pool of float32 output arrays. A fresh multi-megabyte
// array per kernel costs page faults and GC (measured 0.5-4 ms each), so arrays that native kernels allocated
// are reused once their tensor is disposed - but only while no one else can see them: an array that was
// read out (dataSync / data) or viewed by another tensor (the cpu kernels' subarray slices) is never reused.
import { totalmem } from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

// A training step frees nearly all its outputs at once (end of tidy) and needs the same set again next step, so
// the pool must hold a whole step's worth to stop the allocation churn (and the GCs external memory triggers).
// A 56-layer net at batch 128 frees ~1.5 GB a step: a 1 GiB cap cost ResNet-56 30% of its step time (1624 vs
// 1146 ms) and even raised peak RSS. A quarter of RAM holds it; GRADFLOW_POOL_MB overrides.
export function poolLimitBytes(env: NodeJS.ProcessEnv = process.env, totalBytes = totalmem()): number {
  const mb = Number(env.GRADFLOW_POOL_MB);
  return Number.isFinite(mb) && mb >= 0 && env.GRADFLOW_POOL_MB !== ''
    ? mb * 2 ** 20
    : Math.floor(totalBytes / 4);
}
const POOL_LIMIT_BYTES = poolLimitBytes();

export class NativeBackend extends MathBackendCPU {
  private readonly owned = new WeakSet<ArrayBuffer>();
  private readonly escaped = new WeakSet<ArrayBuffer>();
  private readonly free = new Map<number, Float32Array[]>();
  // Arrays returned by allocate() whose tensor is not made yet (the exact objects, not views of them).
  private readonly handedOut = new WeakSet<Float32Array>();
  private pooledBytes = 0;
  private readonly stats = { reused: 0, allocated: 0, pooled: 0, notPooled: 0 };

  constructor() {
    super();
    // The cpu backend's first write advises installing tfjs-node "to speed things up": not apt here.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** Counters since start: outputs served from the pool, fresh allocations, arrays returned / refused. */
  poolStats(): { reused: number; allocated: number; pooled: number; notPooled: number; pooledBytes: number } {
    return { ...this.stats, pooledBytes: this.pooledBytes };
  }

  /** An uninitialised float32 array of `length` elements, recycled when one is free. */
  allocate(length: number): Float32Array {
    const reused = this.free.get(length)?.pop();
    if (reused) {
      this.pooledBytes -= reused.byteLength;
      this.stats.reused++;
      this.handedOut.add(reused);
      return reused;
    }
    this.stats.allocated++;
    const fresh = new Float32Array(length);
    this.owned.add(fresh.buffer as ArrayBuffer);
    this.handedOut.add(fresh);
    return fresh;
  }

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId {
    // A second tensor over an owned buffer (a view or the same array) pins that buffer for good.
    if (ArrayBuffer.isView(values) && this.owned.has(values.buffer as ArrayBuffer))
      this.escaped.add(values.buffer as ArrayBuffer);
    return super.write(values, shape, dtype);
  }

  override makeTensorInfo(
    shape: number[],
    dtype: tf.DataType,
    values?: tf.backend_util.BackendValues | string[],
  ) {
    // The first tensor over an array handed out by allocate() is its owner, not an escape.
    if (values instanceof Float32Array && this.handedOut.delete(values)) {
      return { dataId: super.write(values, shape, dtype), shape, dtype };
    }
    return super.makeTensorInfo(shape, dtype, values);
  }

  override readSync(dataId: tf.DataId): tf.backend_util.BackendValues {
    const values = super.readSync(dataId);
    if (ArrayBuffer.isView(values)) this.escaped.add(values.buffer as ArrayBuffer);
    return values;
  }

  override async read(dataId: tf.DataId): Promise<tf.backend_util.BackendValues> {
    const values = await super.read(dataId);
    if (ArrayBuffer.isView(values)) this.escaped.add(values.buffer as ArrayBuffer);
    return values;
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const disposed = super.disposeData(dataId, force);
    if (disposed && values instanceof Float32Array) this.recycle(values);
    return disposed;
  }

  private recycle(values: Float32Array): void {
    const buffer = values.buffer as ArrayBuffer;
    if (!this.owned.has(buffer) || this.escaped.has(buffer) || values.byteOffset !== 0) return;
    if (values.byteLength !== buffer.byteLength || this.pooledBytes + values.byteLength > POOL_LIMIT_BYTES) {
      this.stats.notPooled++;
      return;
    }
    this.stats.pooled++;
    const list = this.free.get(values.length) ?? [];
    list.push(values);
    this.free.set(values.length, list);
    this.pooledBytes += values.byteLength;
  }

  override dispose(): void {
    this.free.clear();
    this.pooledBytes = 0;
    super.dispose();
  }
}
