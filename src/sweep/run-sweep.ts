// Runs the runs of a sweep that are not finished yet, N at a time, each in its own process.
// What "finished" means is read from disk (each run's manifest), so a sweep can be killed at any
// moment and started again: completed and diverged runs are results and are skipped, interrupted
// runs resume from their checkpoint (the trainer does that), failed runs are tried again.
// A run that transfers from another run of the experiment (@<id>) waits until that one completed,
// and is not started at all when it failed or diverged.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isFinished, readManifest, runFiles } from '../store/run-dir.js';
import type { Manifest } from '../store/types.js';
import { sourceRunId } from './dependencies.js';
import type { SweepRunSpec } from './load.js';
import { writeSummaries } from './summary.js';
import { startWorker, type Progress, type RunningWorker, type WorkerExit } from './worker-process.js';

export type RunState = 'new' | 'resume' | 'retry' | 'done';

export interface RunOnDisk {
  state: RunState;
  status?: Manifest['status'];
  step?: number;
}

/** What is on disk for one run: nothing, a finished result, an interrupted or a failed run. */
export function runOnDisk(experimentDir: string, id: string): RunOnDisk {
  const manifest = manifestOrUndefined(experimentDir, id);
  if (!manifest) return { state: 'new' };
  const { status, steps } = manifest;
  if (isFinished(manifest)) return { state: 'done', status, step: steps };
  if (status === 'failed') return { state: 'retry', status, step: steps };
  const checkpoint = existsSync(runFiles(join(experimentDir, id)).checkpointDir);
  return checkpoint ? { state: 'resume', status, step: steps } : { state: 'new', status };
}

/** Threads per worker so that workers x threads stays within the machine's cores. */
export function threadsPerWorker(workers: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / workers));
}

export type SweepEvent =
  | { type: 'start'; spec: SweepRunSpec; state: RunState; step?: number }
  | { type: 'progress'; spec: SweepRunSpec; progress: Progress }
  | { type: 'finish'; spec: SweepRunSpec; manifest?: Manifest; exit: WorkerExit; failed: boolean }
  | { type: 'skip'; spec: SweepRunSpec; status?: string }
  | { type: 'blocked'; spec: SweepRunSpec; source: string; sourceStatus: string };

export interface SweepOptions {
  experimentDir: string; // results/<experiment>
  workers: number;
  threads?: number;
  backend?: string;
  onEvent?: (event: SweepEvent) => void;
}

export interface SweepOutcome {
  ran: string[];
  skipped: string[];
  failed: string[];
}

/** The run's manifest; a missing or unreadable one (a worker killed mid-start) counts as none. */
function manifestOrUndefined(experimentDir: string, id: string): Manifest | undefined {
  try {
    return readManifest(join(experimentDir, id)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Live workers of this process, so a signal to the sweep can stop them too. */
const live = new Set<RunningWorker>();

export function stopAllWorkers(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const worker of live) worker.kill(signal);
}

export async function runSweep(specs: SweepRunSpec[], opts: SweepOptions): Promise<SweepOutcome> {
  const emit = opts.onEvent ?? (() => {});
  const threads = opts.threads ?? threadsPerWorker(opts.workers);
  const outcome: SweepOutcome = { ran: [], skipped: [], failed: [] };

  const queue: { spec: SweepRunSpec; disk: RunOnDisk }[] = [];
  for (const spec of specs) {
    const disk = runOnDisk(opts.experimentDir, spec.id);
    if (disk.state === 'done') {
      outcome.skipped.push(spec.id);
      emit({ type: 'skip', spec, status: disk.status });
    } else queue.push({ spec, disk });
  }
  const unfinished = new Set(queue.map((q) => q.spec.id));
  /** A source's state: still to come in this sweep, or its status (read from disk once final). */
  const sourceStatus = (id: string): 'pending' | string => {
    if (unfinished.has(id)) return 'pending';
    return manifestOrUndefined(opts.experimentDir, id)?.status ?? 'missing';
  };

  const runOne = async ({ spec, disk }: (typeof queue)[number]): Promise<void> => {
    emit({ type: 'start', spec, state: disk.state, step: disk.step });
    const worker = startWorker(spec, {
      resultsDir: opts.experimentDir,
      backend: opts.backend,
      threads,
      onProgress: (progress) => emit({ type: 'progress', spec, progress }),
    });
    live.add(worker);
    const exit = await worker.done;
    live.delete(worker);
    const manifest = manifestOrUndefined(opts.experimentDir, spec.id);
    const failed = exit.code !== 0 || !isFinished(manifest);
    (failed ? outcome.failed : outcome.ran).push(spec.id);
    unfinished.delete(spec.id);
    await writeSummaries(opts.experimentDir);
    emit({ type: 'finish', spec, manifest, exit, failed });
  };

  // A fixed pool: each lane takes the first queued run whose source (if any) is no longer pending,
  // and otherwise waits for a running run to end. Plans have no cycles, so one always can go.
  let wake = (): void => {};
  let anotherEnded = new Promise<void>((r) => (wake = r));
  const ended = (): void => {
    wake();
    anotherEnded = new Promise<void>((r) => (wake = r));
  };
  const lane = async (): Promise<void> => {
    while (queue.length > 0) {
      const k = queue.findIndex(({ spec }) => {
        const source = sourceRunId(spec.config);
        return source === undefined || sourceStatus(source) !== 'pending';
      });
      if (k < 0) {
        await anotherEnded;
        continue;
      }
      const [item] = queue.splice(k, 1);
      const source = sourceRunId(item.spec.config);
      const status = source === undefined ? 'completed' : sourceStatus(source);
      if (status !== 'completed') {
        outcome.failed.push(item.spec.id);
        unfinished.delete(item.spec.id);
        emit({ type: 'blocked', spec: item.spec, source: source!, sourceStatus: status });
      } else await runOne(item);
      ended();
    }
  };
  const lanes = Math.min(opts.workers, queue.length);
  await Promise.all(Array.from({ length: lanes }, lane));
  if (queue.length === 0 && specs.length > 0) await writeSummaries(opts.experimentDir);
  return outcome;
}
