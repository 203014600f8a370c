// Runs the runs of a sweep that are not finished yet, N at a time, each in its own process.
// What "finished" means is read from disk (each run's manifest, checked against the run's
// fingerprint), so a sweep can be killed at any moment and started again: completed and diverged
// runs are results and are skipped, interrupted runs resume from their checkpoint (the worker
// does that), failed runs are tried again. A run another live process holds (a second sweep, a
// Slurm task) is left to it. A run that transfers from another run of the experiment (@<id>)
// waits until that one completed, and is not started at all when it failed or diverged.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isFinished, readManifest } from '../store/run-dir.js';
import type { LockHolder } from '../store/run-lock.js';
import type { Manifest } from '../store/types.js';
import { fingerprintOf, runIdentity, transferSourceFingerprint } from '../train/identity.js';
import { runState, type RunState } from '../train/run-state.js';
import type { RunIdentity } from '../store/types.js';
import { sourceRunId } from './dependencies.js';
import type { SweepRunSpec } from './load.js';
import { writeSummaries } from './summary.js';
import {
  startWorker,
  WORKER_HELD_EXIT,
  type Progress,
  type RunningWorker,
  type WorkerExit,
} from './worker-process.js';

export interface AssessedRun {
  spec: SweepRunSpec;
  fingerprint: string;
  identity: RunIdentity;
  state: RunState;
}

/**
 * Every run's identity and what its directory holds. Sources are fingerprinted before the runs
 * that transfer from them, so a changed source marks its dependents changed too.
 */
export function assessRuns(
  specs: SweepRunSpec[],
  experimentDir: string,
  all: SweepRunSpec[] = specs,
): AssessedRun[] {
  const byId = new Map(all.map((s) => [s.id, s]));
  const known = new Map<string, string>();
  const identify = (
    spec: SweepRunSpec,
    seen: string[] = [],
  ): { fingerprint: string; identity: RunIdentity } => {
    const source = sourceRunId(spec.config);
    if (source !== undefined && !known.has(source) && byId.has(source) && !seen.includes(source)) {
      known.set(source, identify(byId.get(source)!, [...seen, spec.id]).fingerprint);
    }
    const identity = runIdentity(
      spec.config,
      spec.plugins ?? [],
      transferSourceFingerprint(spec.config, experimentDir, known),
    );
    const fingerprint = fingerprintOf(identity);
    known.set(spec.id, fingerprint);
    return { fingerprint, identity };
  };
  return specs.map((spec) => {
    const { fingerprint, identity } = identify(spec);
    return {
      spec,
      fingerprint,
      identity,
      state: runState(join(experimentDir, spec.id), fingerprint, identity),
    };
  });
}

/** Threads per worker so that workers x threads stays within the machine's cores. */
export function threadsPerWorker(workers: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / workers));
}

export type SweepEvent =
  | { type: 'start'; spec: SweepRunSpec; state: RunState }
  | { type: 'progress'; spec: SweepRunSpec; progress: Progress }
  | { type: 'finish'; spec: SweepRunSpec; manifest?: Manifest; exit: WorkerExit; failed: boolean }
  /** Stopped by a signal with a checkpoint at `step`: the next sweep resumes it. */
  | { type: 'interrupted'; spec: SweepRunSpec; step: number }
  | { type: 'skip'; spec: SweepRunSpec; status?: string; byAnother?: boolean }
  | { type: 'held'; spec: SweepRunSpec; holder?: LockHolder }
  | { type: 'damaged'; spec: SweepRunSpec; state: Extract<RunState, { kind: 'damaged' }> }
  | { type: 'blocked'; spec: SweepRunSpec; source: string; sourceStatus: string };

export interface SweepOptions {
  experimentDir: string; // results/<experiment>
  workers: number;
  threads?: number;
  backend?: string;
  /** --retrain for the workers (changed, damaged): what the caller allowed to be thrown away. */
  retrain?: string;
  /** Resume runs under other numerics than they trained under, recording the change. */
  allowNumericsChange?: boolean;
  onEvent?: (event: SweepEvent) => void;
}

export interface SweepOutcome {
  ran: string[];
  skipped: string[];
  failed: string[];
  held: string[]; // left to another live process
  damaged: string[]; // not run: damaged files, and no --retrain damaged
  interrupted: string[]; // stopped by a signal, resumable
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
/** Set by a signal: the running runs checkpoint and stop, and no lane starts another. */
let stopping = false;

/**
 * Asks every live worker to stop (each checkpoints at its next step boundary) and waits for them,
 * killing the ones still alive after `graceMs`.
 */
export async function stopAllWorkers(signal: NodeJS.Signals = 'SIGTERM', graceMs = 60_000): Promise<number> {
  stopping = true;
  const workers = [...live];
  for (const worker of workers) worker.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
  await Promise.race([Promise.all(workers.map((w) => w.done)), timeout]);
  clearTimeout(timer);
  for (const worker of live) worker.kill('SIGKILL');
  return workers.length;
}

export const liveWorkerCount = (): number => live.size;

/** Runs `runs` (from assessRuns) that are not done; the caller has refused changed runs already. */
export async function runSweep(runs: AssessedRun[], opts: SweepOptions): Promise<SweepOutcome> {
  const emit = opts.onEvent ?? (() => {});
  const threads = opts.threads ?? threadsPerWorker(opts.workers);
  const outcome: SweepOutcome = { ran: [], skipped: [], failed: [], held: [], damaged: [], interrupted: [] };
  stopping = false;
  const retrainDamaged = (opts.retrain ?? '').split(',').includes('damaged');

  const queue: AssessedRun[] = [];
  for (const run of runs) {
    if (run.state.kind === 'done') {
      outcome.skipped.push(run.spec.id);
      emit({ type: 'skip', spec: run.spec, status: run.state.status });
    } else if (run.state.kind === 'damaged' && !retrainDamaged) {
      outcome.damaged.push(run.spec.id);
      emit({ type: 'damaged', spec: run.spec, state: run.state });
    } else queue.push(run);
  }
  const unfinished = new Set(queue.map((q) => q.spec.id));
  /** A source's state: still to come in this sweep, or its status (read from disk once final). */
  const sourceStatus = (id: string): 'pending' | string => {
    if (unfinished.has(id)) return 'pending';
    return manifestOrUndefined(opts.experimentDir, id)?.status ?? 'missing';
  };

  const runOne = async (run: AssessedRun): Promise<void> => {
    const { spec } = run;
    // Looked at again now: another sweep may have finished it, or be training it, since the plan.
    const state = runState(join(opts.experimentDir, spec.id), run.fingerprint, run.identity);
    if (state.kind === 'done') {
      outcome.skipped.push(spec.id);
      emit({ type: 'skip', spec, status: state.status, byAnother: true });
      return;
    }
    if (state.kind === 'held') {
      outcome.held.push(spec.id);
      emit({ type: 'held', spec, holder: state.holder });
      return;
    }
    emit({ type: 'start', spec, state });
    const worker = startWorker(spec, {
      resultsDir: opts.experimentDir,
      backend: opts.backend,
      threads,
      retrain: opts.retrain,
      allowNumericsChange: opts.allowNumericsChange,
      onProgress: (progress) => emit({ type: 'progress', spec, progress }),
    });
    live.add(worker);
    const exit = await worker.done;
    live.delete(worker);
    if (exit.code === WORKER_HELD_EXIT) {
      outcome.held.push(spec.id); // another process took it between the look above and the worker's lock
      emit({ type: 'held', spec });
      return;
    }
    const manifest = manifestOrUndefined(opts.experimentDir, spec.id);
    if (exit.code === 0 && exit.alreadyDone) {
      outcome.skipped.push(spec.id); // another process finished it while this one started
      emit({ type: 'skip', spec, status: manifest?.status, byAnother: true });
      return;
    }
    if (manifest?.status === 'interrupted' && exit.code === 0) {
      // A signal reached the worker (Ctrl-C reaches the whole process group): the sweep stops too.
      stopping = true;
      outcome.interrupted.push(spec.id);
      emit({ type: 'interrupted', spec, step: manifest.statusStep ?? manifest.steps });
      return;
    }
    const failed = exit.code !== 0 || !isFinished(manifest);
    (failed ? outcome.failed : outcome.ran).push(spec.id);
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
  let aborted = false;
  const lane = async (): Promise<void> => {
    while (queue.length > 0 && !aborted && !stopping) {
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
        emit({ type: 'blocked', spec: item.spec, source: source!, sourceStatus: status });
      } else {
        try {
          await runOne(item);
        } catch (err) {
          aborted = true; // the other lanes take no new runs
          throw err;
        }
      }
      unfinished.delete(item.spec.id);
      ended();
    }
  };
  const lanes = Math.min(opts.workers, queue.length);
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    // Whatever went wrong in this process, no worker outlives the sweep.
    if (live.size) await stopAllWorkers('SIGTERM');
  }
  if (runs.length > 0) await writeSummaries(opts.experimentDir);
  return outcome;
}
