// One run, end to end: identity, lock, engine, data, model, resume, the training loop, the final
// evaluation and the manifest. Everything a run leaves is under results/<experiment>/<run id>/.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../ground/errors.js';
import type { RunConfig } from '../config/schema.js';
import { loadDataset } from '../data/index.js';
import { initEngine } from '../engine/index.js';
import { buildModel, getModelFamily, registeredBlocks } from '../models/index.js';
import { loadPlugins } from '../plugins.js';
import { tempSuffix } from '../ground/atomic.js';
import { CsvLog } from '../store/csv-log.js';
import { acquireRunLock, describeHolder, isLock, type LockHolder } from '../store/run-lock.js';
import { readManifest, runFiles, writeManifest } from '../store/run-dir.js';
import {
  LAYER_COLUMNS,
  METRIC_COLUMNS,
  type HealthWarning,
  type LayerRow,
  type Manifest,
  type MetricRow,
} from '../store/types.js';
import {
  fileDigest,
  fingerprintOf,
  pluginsUsedBy,
  runIdentity,
  transferSourceFingerprint,
} from './identity.js';
import { provenance } from '../store/provenance.js';
import {
  blockedRunDir,
  clearRun,
  DamagedRunError,
  runState,
  StaleRunsError,
  type RetrainPolicy,
} from './run-state.js';
import { Trainer, type ProgressEvent } from './trainer.js';
import {
  NumericsChangedError,
  numericsDifferences,
  numericsOf,
  recordedNumerics,
  withNumericsChange,
} from './numerics.js';
import { applyTransfer } from './transfer.js';

export interface RunSpec {
  id: string;
  experiment: string;
  config: RunConfig;
  plugins?: string[]; // absolute paths
}

export interface RunOptions {
  resultsDir: string; // results/<experiment>
  backend?: string;
  threads?: number;
  onProgress?: (p: ProgressEvent) => void;
  /** Log lines (backend, model, warnings); defaults to stderr unless quiet. */
  log?: (line: string) => void;
  quiet?: boolean;
  /** What may be deleted and trained again: a run of another configuration, a damaged run. */
  retrain?: RetrainPolicy;
  /** How to name another results location in the stale-run message (train: --id/--out). */
  otherName?: string;
  /** Polled between steps besides SIGINT/SIGTERM: true checkpoints the run and stops it. */
  shouldStop?: () => boolean;
  /** Called when the run turned out finished already (another process completed it): nothing trained. */
  onAlreadyDone?: () => void;
  /** Resume under other numerics (backend, threads, instruction set) than the run trained under, recording it. */
  allowNumericsChange?: boolean;
}

/** Another live process is training this run: nothing was done. */
export class RunHeldError extends UserError {
  constructor(
    readonly runDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${runDir} is being trained by ${describeHolder(holder)}; nothing was done (that process owns the run until it ends)`,
    );
    this.name = 'RunHeldError';
  }
}

/** Temp files of writers that died mid-write (kill -9, a full disk): only the lock holder may remove them. */
function removeDeadTempFiles(runDir: string): void {
  for (const dir of [runDir, runFiles(runDir).checkpointDir]) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries)
      if (name.startsWith('.') && name.endsWith(tempSuffix)) rmSync(join(dir, name), { force: true });
  }
}

export async function runTraining(spec: RunSpec, opts: RunOptions): Promise<Manifest> {
  const startedAt = new Date().toISOString(); // before set-up: engine, data and model take seconds too
  const runDir = join(opts.resultsDir, spec.id);
  const cfg = spec.config;
  // Loaded first: the identity holds the plugins whose registrations this config uses.
  if (spec.plugins?.length) await loadPlugins(spec.plugins);
  const identity = runIdentity(cfg, spec.plugins ?? [], transferSourceFingerprint(cfg, opts.resultsDir));
  const fingerprint = fingerprintOf(identity);
  const blocked = blockedRunDir(runDir);
  if (blocked) throw new DamagedRunError(spec.id, blocked);
  mkdirSync(runDir, { recursive: true });
  let lostLock = false;
  const lock = acquireRunLock(runDir, (by) => {
    lostLock = true;
    process.stderr.write(
      `${runDir}: the run's lock was taken over${by ? ` by ${describeHolder(by)}` : ''}; stopping without writing more\n`,
    );
    process.exit(75);
  });
  if (!isLock(lock)) throw new RunHeldError(runDir, lock);
  try {
    return await trainLocked(spec, opts, runDir, startedAt, identity, fingerprint);
  } finally {
    if (!lostLock) lock.release();
  }
}

async function trainLocked(
  spec: RunSpec,
  opts: RunOptions,
  runDir: string,
  startedAt: string,
  identity: ReturnType<typeof runIdentity>,
  fingerprint: string,
): Promise<Manifest> {
  const cfg = spec.config;
  removeDeadTempFiles(runDir);
  const state = runState(runDir, fingerprint, identity, { locked: true });
  if (state.kind === 'done') {
    opts.onAlreadyDone?.();
    return readManifest(runDir)!;
  }
  if (state.kind === 'changed' || state.kind === 'unknown') {
    if (!opts.retrain?.changed)
      throw new StaleRunsError([{ id: spec.id, state }], opts.otherName ?? 'another experiment name');
    clearRun(runDir);
  }
  if (state.kind === 'damaged') {
    if (!opts.retrain?.damaged) throw new DamagedRunError(spec.id, state);
    clearRun(runDir);
  }
  const previous = state.kind === 'resume' || state.kind === 'retry' ? readManifest(runDir) : null;
  const log = opts.quiet ? () => {} : (opts.log ?? ((line: string) => process.stderr.write(line + '\n')));

  const engine = await initEngine({ backend: opts.backend, threads: opts.threads, quiet: true });
  const numerics = numericsOf(engine);
  const resumesFrom = state.kind === 'resume' ? state.step : state.kind === 'retry' ? state.step : null;
  const trainedUnder =
    previous && resumesFrom !== null && resumesFrom > 0 ? recordedNumerics(previous) : null;
  if (trainedUnder && numericsDifferences(trainedUnder, numerics).length > 0 && !opts.allowNumericsChange) {
    throw new NumericsChangedError([{ id: spec.id, step: resumesFrom!, was: trainedUnder, now: numerics }]);
  }
  const data = await loadDataset(cfg.data, cfg.data.seed, cfg.seed);
  const model = buildModel(cfg.model, data.inputShape, data.numClasses, cfg.seed);
  const transfer = cfg.transfer ? applyTransfer(model, cfg.transfer, opts.resultsDir) : undefined;
  const files = runFiles(runDir);
  const metrics = new CsvLog<MetricRow>(files.metrics, METRIC_COLUMNS);
  const layers = new CsvLog<LayerRow>(files.layers, LAYER_COLUMNS);
  let stopRequested = false;
  const trainer = new Trainer(
    model,
    data,
    cfg,
    {
      runDir,
      metrics,
      layers,
      onProgress: opts.onProgress,
      onWarning: (w: HealthWarning) => log(`  warning [${w.kind}] ${w.message}`),
      shouldStop: () => stopRequested || (opts.shouldStop?.() ?? false),
    },
    transfer,
  );
  const resumedAt = trainer.resume();
  // Rows past the checkpoint were written by the killed process and will be produced again.
  await metrics.open(resumedAt === null ? null : (r) => Number(r.step) <= resumedAt);
  await layers.open(resumedAt === null ? null : (r) => Number(r.step) < resumedAt);

  // A run resumed from a checkpoint keeps its history; one trained from scratch starts its own.
  const numericsChanges =
    resumedAt === null
      ? undefined
      : trainedUnder
        ? withNumericsChange(previous?.numericsChanges, resumedAt, trainedUnder, numerics)
        : previous?.numericsChanges;
  const count = (trainable: boolean | null) =>
    model.params
      .filter((p) => trainable === null || p.trainable === trainable)
      .reduce((s, p) => s + p.variable.size, 0);
  const manifest: Manifest = {
    id: spec.id,
    experiment: spec.experiment,
    config: cfg,
    fingerprint,
    identity,
    seed: cfg.seed,
    status: 'running',
    backend: {
      name: engine.name,
      version: engine.version,
      threads: engine.threads,
      ...(engine.device ? { device: engine.device } : {}),
    },
    plugins: pluginsUsedBy(cfg, spec.plugins ?? []).map((path) => ({ path, sha256: fileDigest(path) })),
    numerics,
    ...(numericsChanges ? { numericsChanges } : {}),
    ...provenance(),
    host: hostname(),
    startedAt: previous?.startedAt ?? startedAt,
    params: { trainable: count(true), total: count(null) },
    residual: model.residual,
    classes: data.numClasses,
    weightedLayers: getModelFamily(cfg.model.family).weightedLayers(cfg.model, registeredBlocks),
    steps: resumedAt ?? 0,
    totalSteps: trainer.totalSteps,
    warnings: [],
  };
  writeManifest(runDir, manifest);
  log(
    `${spec.id}: ${model.name}, ${manifest.params.trainable.toLocaleString('en')} params, ${data.name} ${data.train.n}/${data.test.n}, ` +
      `${trainer.totalSteps} steps on ${engine.name} ${engine.version} (${engine.device ?? `${engine.threads} threads`})` +
      (transfer && cfg.transfer!.mode !== 'scratch'
        ? `, ${cfg.transfer!.mode} from ${cfg.transfer!.from} (${transfer.frozen.size} frozen tensors)`
        : '') +
      (resumedAt !== null ? `, resuming at step ${resumedAt}` : ''),
  );

  const onSignal = () => {
    stopRequested = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await trainer.run();
    manifest.steps = outcome.step;
    manifest.warnings = outcome.warnings;
    manifest.wallSeconds = outcome.elapsedSeconds;
    if (outcome.status === 'completed') {
      manifest.final = await trainer.finalEvaluation();
      manifest.status = 'completed';
    } else if (outcome.status === 'diverged') {
      manifest.status = 'diverged';
      manifest.statusStep = outcome.step;
      manifest.statusReason = outcome.reason;
    } else {
      manifest.status = 'interrupted'; // the checkpoint at this step resumes it
      manifest.statusStep = outcome.step;
      manifest.statusReason = outcome.reason;
    }
    if (manifest.status !== 'interrupted') manifest.endedAt = new Date().toISOString();
    writeManifest(runDir, manifest);
    return manifest;
  } catch (err) {
    manifest.status = 'failed';
    manifest.statusReason = (err as Error).message;
    manifest.endedAt = new Date().toISOString();
    try {
      writeManifest(runDir, manifest);
    } catch (second) {
      // A full disk can refuse this too: the manifest stays 'running' and the checkpoint resumes the run.
      log(`  ${(second as Error).message}`);
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    trainer.dispose();
    model.dispose();
  }
}
