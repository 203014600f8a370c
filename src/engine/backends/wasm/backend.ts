// Builds the tfjs wasm backend ourselves so that its thread pool works in Node with the thread
// count gradflow chooses. Stock tfjs-backend-wasm 4.22 (a) reports no thread support in Node
// (its environment check does not count Node's worker_threads), (b) hands Emscripten a Blob URL
// for the pthread worker, which Node's Worker rejects (ERR_WORKER_PATH), and (c) caps the pool at
// half the logical cores (1 thread on a 2-core machine). We instantiate the same Emscripten module
// and .wasm files from node_modules with: workers started from the package's own worker source
// (eval mode), the main script passed to workers as a real file path, and the core count the C
// side sees raised so the cap allows the requested count.
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

const require = createRequire(import.meta.url);

/** The pool Emscripten pre-creates in this build (PTHREAD_POOL_SIZE): more threads cannot start. */
export const WASM_MAX_THREADS = 8;

export interface WasmBackendHandle {
  backend: tfwasm.BackendWasm;
  threads: number;
  simd: boolean;
  build: 'threaded-simd' | 'simd' | 'plain';
}

type EmscriptenModule = {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => unknown;
  PThread?: { unusedWorkers: { unref(): void }[]; runningWorkers: { unref(): void }[] };
  tfjs?: Record<string, unknown>;
};
type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

function wasmOutDir(): string {
  const pkgJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkgJson), 'wasm-out');
}

// From wasm-feature-detect (as tfjs uses): tiny modules using a SIMD / an atomic instruction.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11,
]);
const THREADS_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254,
  16, 2, 0, 26, 11,
]);

export function wasmSimdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export function wasmThreadsSupported(): boolean {
  try {
    return typeof SharedArrayBuffer === 'function' && WebAssembly.validate(THREADS_PROBE);
  } catch {
    return false;
  }
}

/**
 * Instantiates the wasm module with `threads` threads (1 = the single-threaded SIMD build) and
 * returns a ready tfjs BackendWasm. Throws with the reason when the runtime cannot host it.
 */
export async function createWasmBackend(threads: number): Promise<WasmBackendHandle> {
  if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
  const dir = wasmOutDir();
  const simd = wasmSimdSupported();
  const wanted = Math.max(1, Math.min(Math.floor(threads), WASM_MAX_THREADS));
  const threaded = wanted > 1 && simd && wasmThreadsSupported();
  const build: WasmBackendHandle['build'] = threaded ? 'threaded-simd' : simd ? 'simd' : 'plain';
  const wasmFile = path.join(dir, `tfjs-backend-wasm${build === 'plain' ? '' : '-' + build}.wasm`);
  const mainScript = path.join(dir, threaded ? 'tfjs-backend-wasm-threaded-simd.js' : 'tfjs-backend-wasm.js');
  for (const f of [wasmFile, mainScript]) {
    if (!fs.existsSync(f)) throw new Error(`missing ${f} (reinstall @tensorflow/tfjs-backend-wasm)`);
  }
  const binary = fs.readFileSync(wasmFile);

  const config: Record<string, unknown> = {
    locateFile: (file: string) => path.join(dir, file),
    // Workers import the main script by path (the stock code passes a Blob, unreadable in Node).
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm: (
      imports: { env: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      // The C side caps its pool at half of this count; report enough cores for `wanted`.
      const realCores = os.availableParallelism();
      imports.env.emscripten_num_logical_cores = () => Math.max(realCores, 2 * wanted);
      WebAssembly.instantiate(binary, imports as WebAssembly.Imports).then(
        (r) => receive(r.instance, r.module),
        (e) => rejectInit(e),
      );
      return {};
    },
    onAbort: (what: unknown) => rejectInit(new Error(`wasm module aborted: ${String(what)}`)),
  };
  let rejectInit: (e: unknown) => void = () => {};
  const aborted = new Promise<never>((_, reject) => (rejectInit = reject));

  const listenersBefore = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  const hadWorkerGlobal = 'Worker' in globalThis;
  const workerGlobalBefore = (globalThis as { Worker?: unknown }).Worker;
  const factory = require(mainScript) as Factory;
  let module: EmscriptenModule;
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const NodeWorker = workerThreads.Worker;
  try {
    if (threaded) {
      // Emscripten creates its 8 pool workers synchronously inside the factory with
      // `new Worker(path)`. The worker source ships as a string in the package; start workers
      // from it in eval mode. Swapped only for the factory's synchronous run, then restored.
      const { wasmWorkerContents } = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
        wasmWorkerContents: string;
      };
      class PthreadWorker extends NodeWorker {
        constructor() {
          // The source holds raw newlines inside string literals (as tfjs does, re-escape them).
          super(wasmWorkerContents.replace(/\n/g, '\\n'), { eval: true });
        }
      }
      (workerThreads as { Worker: unknown }).Worker = PthreadWorker;
      let pending: Promise<EmscriptenModule>;
      try {
        pending = factory(config);
      } finally {
        (workerThreads as { Worker: unknown }).Worker = NodeWorker;
      }
      module = await Promise.race([pending, aborted]);
    } else {
      module = await Promise.race([factory(config), aborted]);
    }
  } finally {
    // The factory installs process-wide handlers that rethrow every uncaught error (turning exit
    // codes into 7 and confusing test runners); gradflow handles its own errors.
    for (const l of process.listeners('uncaughtException')) {
      if (!listenersBefore.uncaughtException.includes(l)) process.removeListener('uncaughtException', l);
    }
    for (const l of process.listeners('unhandledRejection')) {
      if (!listenersBefore.unhandledRejection.includes(l)) process.removeListener('unhandledRejection', l);
    }
  }
  // The threaded factory leaves a `Worker` global behind (Node has none); undo that.
  if (hadWorkerGlobal) (globalThis as { Worker?: unknown }).Worker = workerGlobalBefore;
  else delete (globalThis as { Worker?: unknown }).Worker;

  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  tfwasm.setThreadsCount(wanted);
  const backend = new tfwasm.BackendWasm(module as never);
  // Pool workers would keep the process alive after the work is done. They talk to the main
  // thread through shared memory while running kernels, so unref'ing them is safe.
  for (const w of [...(module.PThread?.unusedWorkers ?? []), ...(module.PThread?.runningWorkers ?? [])])
    w.unref();
  // Read back from the C side (pthreadpool), not from what was asked for.
  const actual = (module.tfjs.getThreadsCount as () => number)();
  return { backend, threads: actual, simd, build };
}
