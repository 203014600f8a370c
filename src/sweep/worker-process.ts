// One run in its own process: `node dist/sweep/worker-main.js --spec-json JSON`. A separate process per
// run gives each its own TF.js backend and thread pool, and a crash (or an out-of-memory kill)
// takes down one run, not the sweep. Progress comes back over the IPC channel.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SweepRunSpec } from './load.js';

export interface Progress {
  step: number;
  totalSteps: number;
  loss?: number;
  error?: number;
  stepMs?: number;
}

/** The exit code of a worker whose run another live process holds (EX_TEMPFAIL). */
export const WORKER_HELD_EXIT = 75;

/** Messages a worker sends its parent. */
export type WorkerMessage =
  { type: 'progress'; progress: Progress } | { type: 'done'; status: string; alreadyDone?: boolean };

export interface WorkerOptions {
  resultsDir: string; // results/<experiment>
  backend?: string;
  threads: number;
  /** --retrain for the worker: changed, damaged or both, comma-separated. */
  retrain?: string;
  /** Resume under other numerics than a run trained under, recording the change. */
  allowNumericsChange?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  status?: string; // the manifest status the child reported
  alreadyDone?: boolean; // the child found the run finished by another process and trained nothing
  outputTail: string; // last lines of the child's stdout and stderr
}

/**
 * The built worker entry, found from the package root so that it works from any cwd and from jest
 * (which runs src/ through SWC, where no sibling .js exists). GRADFLOW_WORKER overrides it.
 */
export function builtWorkerPath(): string {
  if (process.env.GRADFLOW_WORKER) return process.env.GRADFLOW_WORKER;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('gradflow: cannot find the package root (package.json) above ' + import.meta.url);
    dir = parent;
  }
  const worker = join(dir, 'dist', 'sweep', 'worker-main.js');
  if (!existsSync(worker)) throw new Error(`gradflow: ${worker} is missing; run \`npm run build\` first`);
  return worker;
}

const STDERR_KEEP = 4000;

export interface RunningWorker {
  pid: number | undefined;
  done: Promise<WorkerExit>;
  kill(signal?: NodeJS.Signals): void;
}

export function startWorker(spec: SweepRunSpec, opts: WorkerOptions): RunningWorker {
  // The spec travels on the command line: nothing to clean up when either process is killed.
  const args = [
    builtWorkerPath(),
    '--spec-json',
    JSON.stringify(spec),
    '--results',
    opts.resultsDir,
    '--threads',
    String(opts.threads),
  ];
  if (opts.backend) args.push('--backend', opts.backend);
  if (opts.retrain) args.push('--retrain', opts.retrain);
  if (opts.allowNumericsChange) args.push('--allow-numerics-change');

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let outputTail = '';
  let status: string | undefined;
  let alreadyDone = false;
  // The tail of the child's output, to show when the run fails.
  const keep = (chunk: Buffer): void => {
    outputTail = (outputTail + chunk.toString()).slice(-STDERR_KEEP);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('message', (message: WorkerMessage) => {
    if (message.type === 'progress') opts.onProgress?.(message.progress);
    else if (message.type === 'done') {
      status = message.status;
      alreadyDone = message.alreadyDone ?? false;
    }
  });
  const done = new Promise<WorkerExit>((resolvePromise) => {
    child.on('error', (err) => {
      outputTail += `\n${err.message}`;
      resolvePromise({ code: null, signal: null, status, alreadyDone, outputTail });
    });
    child.on('close', (code, signal) => resolvePromise({ code, signal, status, alreadyDone, outputTail }));
  });
  return { pid: child.pid, done, kill: (signal = 'SIGTERM') => void child.kill(signal) };
}
