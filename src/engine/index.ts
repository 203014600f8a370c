// Chooses and starts the training backend: the fastest one that loads, in the order
// tensorflow-gpu (CUDA GPU) -> webgpu (a GPU through Dawn) -> tensorflow (libtensorflow) -> native (oneDNN
// addon) -> wasm -> cpu,
// or the one forced with --backend / GRADFLOW_BACKEND. Registers gradflow's kernels first.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import { UserError } from '../ground/errors.js';
import { registerCpuKernels } from './backends/cpu/register_all_kernels.js';
import { registerKernels } from './backends/wasm/register_all_kernels.js';

export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface EngineInfo {
  name: BackendName;
  version: string;
  threads: number;
  simd: boolean;
  /** The GPU adapter a GPU backend runs on, as its driver names it. */
  device?: string;
  /** Backends tried before this one (in selection order) and why each did not load. */
  passedOver: { name: string; reason: string }[];
}

export interface EngineOptions {
  backend?: string;
  threads?: number;
  quiet?: boolean;
}

export interface BackendListing {
  name: BackendName;
  available: boolean;
  selected: boolean;
  detail: string;
}

/** A backend the user asked for cannot be used (exit code 2). */
export class BackendError extends UserError {
  override name = 'BackendError';
}

type Loaded =
  | {
      ok: true;
      version: string;
      threads: number;
      simd: boolean;
      device?: string;
      /** Why automatic selection passes it over (a CPU adapter behind WebGPU); --backend still takes it. */
      notAutomatic?: string;
    }
  /** quiet: an expected absence (no GPU, an optional package not installed) the fallback notice leaves out. */
  | { ok: false; reason: string; quiet?: boolean };

let current: EngineInfo | null = null;
let starting: Promise<EngineInfo> | null = null;
const attempts = new Map<BackendName, Promise<Loaded>>();

export function currentEngine(): EngineInfo | null {
  return current;
}

/** Thread count: opts.threads, else GRADFLOW_THREADS, else every logical core. */
export function resolveThreads(requested?: number): number {
  if (requested != null) {
    if (!Number.isInteger(requested) || requested < 1) {
      throw new BackendError(`--threads must be a positive integer, got ${requested}`);
    }
    return requested;
  }
  const env = process.env.GRADFLOW_THREADS;
  if (env != null && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1)
      throw new BackendError(`GRADFLOW_THREADS must be a positive integer, got '${env}'`);
    return n;
  }
  return os.availableParallelism();
}

function resolveForced(requested?: string): BackendName | null {
  const raw = requested ?? process.env.GRADFLOW_BACKEND;
  if (raw == null || raw === '' || raw === 'auto') return null;
  const where = requested != null ? '--backend' : 'GRADFLOW_BACKEND';
  if (!(BACKEND_NAMES as readonly string[]).includes(raw)) {
    throw new BackendError(
      `${where}: unknown backend '${raw}' (choose one of ${BACKEND_NAMES.join(', ')}, or auto)`,
    );
  }
  return raw as BackendName;
}

/**
 * tfjs's cpu backend (and native, built on it) prints a "looks like you are running TensorFlow.js
 * in Node.js" banner on its first tensor. Mark those instances as already used: nothing else
 * changes (the PROD/IS_TEST flags that also hide it turn off other checks).
 */
export function silenceCpuBanner(): void {
  for (const name of ['cpu', 'native']) {
    if (tf.findBackendFactory(name) == null) continue;
    const backend = tf.findBackend(name) as { firstUse?: boolean } | null;
    if (backend != null && 'firstUse' in backend) backend.firstUse = false;
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].trim();
}

function cudaGpuVisible(): string | null {
  if (process.platform !== 'linux' && process.platform !== 'win32')
    return `CUDA is not available on ${process.platform}`;
  if (process.platform === 'linux' && !fs.existsSync('/proc/driver/nvidia/version')) {
    return 'no NVIDIA driver (no /proc/driver/nvidia/version)';
  }
  return null;
}

async function loadTensorflow(
  pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu',
  gpu: boolean,
): Promise<Loaded> {
  if (gpu) {
    const noGpu = cudaGpuVisible();
    if (noGpu) return { ok: false, reason: noGpu, quiet: true };
  }
  try {
    // A plain string specifier: these optional packages may be absent, types and all.
    const specifier: string = pkg;
    const mod = (await import(specifier)) as { version?: Record<string, string> };
    if (tf.findBackendFactory('tensorflow') == null) {
      return {
        ok: false,
        reason: `${pkg} loaded but registered no 'tensorflow' backend with this copy of tfjs`,
      };
    }
    const version = mod.version?.['tfjs-node'] ?? tf.version_core;
    return { ok: true, version, threads: os.availableParallelism(), simd: true };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      if (firstLine(err).includes(pkg)) return { ok: false, reason: `${pkg} is not installed`, quiet: true };
    }
    if (firstLine(err).includes('tfjs_binding.node')) {
      // Installed without its install script, which downloads libtensorflow (npm 12 blocks it unless allowed).
      return {
        ok: false,
        reason: `${pkg} has no libtensorflow binding: its install script did not run or failed; fix: \`npm rebuild ${pkg}\``,
      };
    }
    return { ok: false, reason: `${pkg} did not load: ${firstLine(err)}` };
  }
}

async function loadNative(threads: number): Promise<Loaded> {
  try {
    const { registerNativeBackend } = await import('./backends/native/register.js');
    const r = await registerNativeBackend(threads);
    return r.ok
      ? { ok: true, version: r.version, threads: r.threads, simd: true }
      : { ok: false, reason: r.reason, quiet: r.hidden };
  } catch (err) {
    return { ok: false, reason: `the native backend did not load: ${firstLine(err)}` };
  }
}

async function loadWebgpu(): Promise<Loaded> {
  try {
    const { registerWebgpuBackend, describeAdapter } = await import('./backends/webgpu/register.js');
    const r = await registerWebgpuBackend();
    if (!r.ok) return { ok: false, reason: r.reason, quiet: r.hidden };
    const device = describeAdapter(r.adapter);
    return {
      ok: true,
      version: r.version,
      threads: 1,
      simd: false,
      device,
      notAutomatic: r.adapter.software
        ? 'a CPU adapter, slower than the CPU backends: never chosen automatically (--backend webgpu takes it)'
        : undefined,
    };
  } catch (err) {
    return { ok: false, reason: `the webgpu backend did not load: ${firstLine(err)}` };
  }
}

async function loadWasm(threads: number): Promise<Loaded> {
  try {
    const { createWasmBackend } = await import('./backends/wasm/backend.js');
    const tfwasm = await import('@tensorflow/tfjs-backend-wasm');
    const handle = await createWasmBackend(threads);
    // Swap tfjs's own wasm factory (threads off in Node) for the instance built above.
    if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => handle.backend, 2);
    return { ok: true, version: tfwasm.version_wasm, threads: handle.threads, simd: handle.simd };
  } catch (err) {
    return { ok: false, reason: `the wasm backend did not start: ${firstLine(err)}` };
  }
}

/** Loads (registers, does not select) one backend; each is attempted at most once per process. */
function attemptLoad(name: BackendName, threads: number): Promise<Loaded> {
  let p = attempts.get(name);
  if (p == null) {
    switch (name) {
      case 'tensorflow-gpu':
        p = loadTensorflow('@tensorflow/tfjs-node-gpu', true);
        break;
      case 'webgpu':
        p = loadWebgpu();
        break;
      case 'tensorflow':
        p = loadTensorflow('@tensorflow/tfjs-node', false);
        break;
      case 'native':
        p = loadNative(threads);
        break;
      case 'wasm':
        p = loadWasm(threads);
        break;
      case 'cpu':
        p = Promise.resolve({ ok: true, version: tf.version_core, threads: 1, simd: false });
        break;
    }
    attempts.set(name, p);
  }
  return p;
}

function tfBackendName(name: BackendName): string {
  return name === 'tensorflow-gpu' ? 'tensorflow' : name;
}

async function activate(name: BackendName, loaded: Loaded & { ok: true }): Promise<Loaded> {
  try {
    silenceCpuBanner();
    const ok = await tf.setBackend(tfBackendName(name));
    if (!ok) return { ok: false, reason: `tf.setBackend('${tfBackendName(name)}') failed` };
    if (name === 'tensorflow-gpu') {
      const usingGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
      if (usingGpu === false) return { ok: false, reason: 'TensorFlow loaded but found no usable CUDA GPU' };
    }
    return loaded;
  } catch (err) {
    return { ok: false, reason: firstLine(err) };
  }
}

async function start(opts: EngineOptions): Promise<EngineInfo> {
  const threads = resolveThreads(opts.threads);
  const forced = resolveForced(opts.backend);
  registerKernels();
  registerCpuKernels();
  silenceCpuBanner();
  const passedOver: { name: string; reason: string }[] = [];
  // A faster backend that should have loaded here and did not: said once, before the one selected.
  const noticed: { name: string; reason: string }[] = [];
  for (const name of forced ? [forced] : BACKEND_NAMES) {
    let loaded = await attemptLoad(name, threads);
    if (loaded.ok && loaded.notAutomatic && !forced) {
      passedOver.push({ name, reason: `${loaded.device}: ${loaded.notAutomatic}` });
      continue;
    }
    if (loaded.ok) loaded = await activate(name, loaded);
    if (loaded.ok) {
      const info: EngineInfo = {
        name,
        version: loaded.version,
        threads: loaded.threads,
        simd: loaded.simd,
        device: loaded.device,
        passedOver,
      };
      if (!opts.quiet) {
        for (const p of noticed) console.error(`gradflow: ${p.name} unavailable: ${p.reason}`);
        console.error(`gradflow: ${describeEngine(info)}`);
      }
      return info;
    }
    if (forced) {
      throw new BackendError(`backend '${name}' is not available: ${loaded.reason}`);
    }
    passedOver.push({ name, reason: loaded.reason });
    if (!loaded.quiet) noticed.push({ name, reason: loaded.reason });
  }
  // Unreachable: the cpu backend always loads.
  throw new BackendError(
    `no backend could start: ${passedOver.map((p) => `${p.name}: ${p.reason}`).join('; ')}`,
  );
}

/**
 * Checks, without selecting anything, that a forced backend (--backend or GRADFLOW_BACKEND) is a
 * known name and loads here: a sweep asks once, before it starts workers that would each fail.
 */
export async function checkBackend(requested?: string): Promise<void> {
  const forced = resolveForced(requested);
  resolveThreads();
  if (forced === null) return;
  const loaded = await attemptLoad(forced, 1);
  if (!loaded.ok) throw new BackendError(`backend '${forced}' is not available: ${loaded.reason}`);
}

/**
 * Starts the training backend (once per process; later calls return the same engine). Throws
 * BackendError when a forced backend cannot load or an option is invalid.
 */
export async function initEngine(opts: EngineOptions = {}): Promise<EngineInfo> {
  if (current) return current;
  if (starting == null) {
    starting = start(opts).then(
      (info) => (current = info),
      (err) => {
        starting = null;
        throw err;
      },
    );
  }
  return starting;
}

/** One line for logs: "wasm 4.22.0, 2 threads, SIMD". */
export function describeEngine(info: EngineInfo): string {
  const threads = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  if (info.device) return `backend ${info.name} ${info.version} on ${info.device}`;
  return `backend ${info.name} ${info.version}, ${threads}${info.simd ? ', SIMD' : ''}`;
}

/**
 * Every candidate backend, whether it loads here (and why not), and which one initEngine selects.
 * Starts the engine if needed; the others are loaded but not selected.
 */
export async function listBackends(opts: EngineOptions = {}): Promise<BackendListing[]> {
  const engine = await initEngine({ ...opts, quiet: true });
  const threads = resolveThreads(opts.threads);
  const rows: BackendListing[] = [];
  for (const name of BACKEND_NAMES) {
    const selected = name === engine.name;
    const r = selected
      ? {
          ok: true as const,
          version: engine.version,
          threads: engine.threads,
          simd: engine.simd,
          device: engine.device,
        }
      : await attemptLoad(name, threads);
    const detail = !r.ok
      ? r.reason
      : r.device
        ? `${r.version} on ${r.device}${!selected && r.notAutomatic ? `; ${r.notAutomatic}` : ''}`
        : `${r.version}, ${r.threads} thread${r.threads === 1 ? '' : 's'}${r.simd ? ', SIMD' : ''}`;
    rows.push({ name, available: r.ok, selected, detail });
  }
  return rows;
}
