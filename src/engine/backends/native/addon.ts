// The compiled oneDNN addon (native/): its function table and how it is found.
// Every function writes into caller-allocated Float32Arrays; integer geometry travels as one Int32Array.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeAddon {
  onednnVersion: string;
  setThreads(threads: number): number;
  getThreads(): number;
  clearCache(): void;
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    geometry: Int32Array,
    relu: number,
  ): void;
  conv2dBackwardData(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  conv2dBackwardFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  matmul(
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | null,
    c: Float32Array,
    geometry: Int32Array,
    relu: number,
  ): void;
  pool(x: Float32Array, y: Float32Array, geometry: Int32Array): void;
  poolBackward(dy: Float32Array, x: Float32Array | null, dx: Float32Array, geometry: Int32Array): void;
  batchNorm(
    x: Float32Array,
    scale: Float32Array,
    offset: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    geometry: Int32Array,
    epsilon: number,
    reluMask?: Float32Array | null,
  ): void;
  /** Float32 elements of a fused ReLU's mask for batchNorm's geometry [n, hw, c, 1, 1]. */
  batchNormWorkspaceSize(geometry: Int32Array, epsilon: number): number;
  batchNormBackward(
    dy: Float32Array,
    x: Float32Array,
    scale: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    dx: Float32Array,
    dscale: Float32Array,
    doffset: Float32Array,
    geometry: Int32Array,
    epsilon: number,
    reluMask?: Float32Array | null,
  ): void;
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, geometry: Int32Array): void;
  reduce(op: number, x: Float32Array, out: Float32Array, geometry: Int32Array): void;
  copyBox(src: Float32Array, dst: Float32Array, geometry: Int32Array, fill: number | null): void;
  /** The op codes of unary, binary and reduce, by the TF.js kernel each implements (declared in C++ only). */
  unaryOps: Record<string, number>;
  binaryOps: Record<string, number>;
  reduceOps: Record<string, number>;
}

export type AddonLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

const require = createRequire(import.meta.url);

// The installed optional package first, then a build inside this checkout: four levels up from both
// src/engine/backends/native (sources, jest) and dist/engine/backends/native (the build) is the repository root.
function candidates(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const paths: string[] = [];
  try {
    paths.push(require.resolve('gradflow-native'));
  } catch {
    // not installed: fall through to the checkout's own build
  }
  const built = join(here, '..', '..', '..', '..', 'native', 'build', 'Release', 'gradflow_native.node');
  if (existsSync(built)) paths.push(built);
  return paths;
}

let cached: AddonLoad | undefined;

export function loadAddon(): AddonLoad {
  if (cached) return cached;
  const tried: string[] = [];
  for (const path of candidates()) {
    try {
      cached = { ok: true, addon: require(path) as NativeAddon, path };
      return cached;
    } catch (err) {
      tried.push(`${path}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  cached = {
    ok: false,
    reason:
      tried.length > 0
        ? `the oneDNN addon failed to load (${tried.join('; ')})`
        : 'the oneDNN addon is not built (install libdnnl-dev and a C++ compiler, then `npm rebuild gradflow-native`)',
  };
  return cached;
}
