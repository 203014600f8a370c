// The compiled oneDNN addon (native/): its function table and how it is found.
// Every function writes into caller-allocated Float32Arrays; integer geometry travels as one Int32Array.
import { createRequire } from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explainMissingAddon, readInstallStatus } from './install-status.js';

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

// The installed optional package first, then the checkout's own native/: four levels up from both
// src/engine/backends/native (sources, jest) and dist/engine/backends/native (the build) is the repository root.
function packageDirs(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const dirs: string[] = [];
  try {
    dirs.push(dirname(require.resolve('gradflow-native/package.json')));
  } catch {
    // not installed: fall through to the checkout's own build
  }
  const checkout = join(here, '..', '..', '..', '..', 'native');
  if (
    existsSync(join(checkout, 'binding.gyp')) &&
    !dirs.some((d) => realpathSync(d) === realpathSync(checkout))
  ) {
    dirs.push(checkout);
  }
  return dirs;
}

const ADDON_FILE = join('build', 'Release', 'gradflow_native.node');

let cached: AddonLoad | undefined;

export function loadAddon(): AddonLoad {
  if (cached) return cached;
  const dirs = packageDirs();
  const loadErrors: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, ADDON_FILE);
    if (!existsSync(path)) continue;
    try {
      cached = { ok: true, addon: require(path) as NativeAddon, path };
      return cached;
    } catch (err) {
      loadErrors.push(`${path}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const status = dirs.length > 0 ? readInstallStatus(dirs[0]) : null;
  cached = { ok: false, reason: explainMissingAddon(status, loadErrors) };
  return cached;
}
