// One run, end to end: engine, data, model, resume, the training loop, the final evaluation and
// the manifest. Everything a run leaves is under results/<experiment>/<run id>/.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunConfig } from '../config/schema.js';
import { loadDataset } from '../data/index.js';
import { initEngine } from '../engine/index.js';
import { buildModel } from '../models/index.js';
import { loadPlugins } from '../plugins.js';
import { CsvLog } from '../store/csv-log.js';
import { isFinished, readManifest, runFiles, writeManifest } from '../store/run-dir.js';
import { LAYER_COLUMNS, METRIC_COLUMNS, type HealthWarning, type LayerRow, type Manifest, type MetricRow } from '../store/types.js';
import { provenance } from './provenance.js';
import { Trainer, type ProgressEvent } from './trainer.js';
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
}

export async function runTraining(spec: RunSpec, opts: RunOptions): Promise<Manifest> {
  const startedAt = new Date().toISOString(); // before set-up: engine, data and model take seconds too
  const runDir = join(opts.resultsDir, spec.id);
  const previous = readManifest(runDir);
  if (previous && isFinished(previous)) return previous;
  mkdirSync(runDir, { recursive: true });
  const log = opts.quiet ? () => {} : (opts.log ?? ((line: string) => process.stderr.write(line + '\n')));
  const cfg = spec.config;

  const engine = await initEngine({ backend: opts.backend, threads: opts.threads, quiet: true });
  if (spec.plugins?.length) await loadPlugins(spec.plugins);
  const data = await loadDataset(cfg.data, cfg.data.seed, cfg.seed);
  const model = buildModel(cfg.model, data.inputShape, data.numClasses, cfg.seed);
  const transfer = cfg.transfer ? applyTransfer(model, cfg.transfer, opts.resultsDir) : undefined;
  const files = runFiles(runDir);
  const metrics = new CsvLog<MetricRow>(files.metrics, METRIC_COLUMNS);
  const layers = new CsvLog<LayerRow>(files.layers, LAYER_COLUMNS);
  let stopRequested = false;
  const trainer = new Trainer(model, data, cfg, {
    runDir,
    metrics,
    layers,
    onProgress: opts.onProgress,
    onWarning: (w: HealthWarning) => log(`  warning [${w.kind}] ${w.message}`),
    shouldStop: () => stopRequested,
  }, transfer);
  const resumedAt = trainer.resume();
  // Rows past the checkpoint were written by the killed process and will be produced again.
  await metrics.open(resumedAt === null ? null : (r) => Number(r.step) <= resumedAt);
  await layers.open(resumedAt === null ? null : (r) => Number(r.step) < resumedAt);

  const count = (trainable: boolean | null) =>
    model.params.filter((p) => trainable === null || p.trainable === trainable).reduce((s, p) => s + p.variable.size, 0);
  const manifest: Manifest = {
    id: spec.id,
    experiment: spec.experiment,
    config: cfg,
    seed: cfg.seed,
    status: 'running',
    backend: { name: engine.name, version: engine.version, threads: engine.threads },
    ...provenance(),
    host: hostname(),
    startedAt: previous?.startedAt ?? startedAt,
    params: { trainable: count(true), total: count(null) },
    residual: model.residual,
    steps: resumedAt ?? 0,
    totalSteps: trainer.totalSteps,
    warnings: [],
  };
  writeManifest(runDir, manifest);
  log(
    `${spec.id}: ${model.name}, ${manifest.params.trainable.toLocaleString('en')} params, ${data.name} ${data.train.n}/${data.test.n}, ` +
      `${trainer.totalSteps} steps on ${engine.name} ${engine.version} (${engine.threads} threads)` +
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
      manifest.statusStep = outcome.step;
      manifest.statusReason = outcome.reason; // still 'running': the checkpoint resumes it
    }
    if (manifest.status !== 'running') manifest.endedAt = new Date().toISOString();
    writeManifest(runDir, manifest);
    return manifest;
  } catch (err) {
    manifest.status = 'failed';
    manifest.statusReason = (err as Error).message;
    manifest.endedAt = new Date().toISOString();
    writeManifest(runDir, manifest);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    trainer.dispose();
    model.dispose();
  }
}
