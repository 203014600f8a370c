// What every analysis of a run starts from: its manifest, its data (as it trained on them: same
// seeds, same normalisation) and, for a trained run, its final weights by name; or the reason it
// cannot be read.
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/schema.js';
import { loadDataset, type Dataset } from '../data/index.js';
import type { Model } from '../models/types.js';
import { readManifest } from '../store/run-dir.js';
import type { Manifest } from '../store/types.js';
import { loadCheckpoint, type NamedArray } from '../weights/checkpoint.js';

export interface TrainedRun {
  manifest: Manifest;
  cfg: RunConfig;
  data: Dataset;
  /** Final parameters by name (no optimiser slots, no initial kernels). */
  weights: Map<string, NamedArray>;
}

export type PlannedRun = Omit<TrainedRun, 'weights'>;

/** A run's configuration and data, whatever its status: what an analysis at initialisation needs. */
export async function loadPlannedRun(runDir: string): Promise<{ run: PlannedRun } | { skipped: string }> {
  const manifest = readManifest(runDir);
  if (!manifest) return { skipped: 'no manifest.json' };
  const cfg = manifest.config;
  const data = await loadDataset(cfg.data, cfg.data.seed, cfg.seed);
  return { run: { manifest, cfg, data } };
}

export async function loadTrainedRun(
  runDir: string,
  what: string,
): Promise<{ run: TrainedRun } | { skipped: string }> {
  const manifest = readManifest(runDir);
  if (!manifest) return { skipped: 'no manifest.json' };
  if (manifest.status !== 'completed') return { skipped: `run is ${manifest.status}, not completed` };
  const ckpt = loadCheckpoint<unknown>(runDir);
  if (!ckpt) return { skipped: `no checkpoint/ckpt.bin (${what} needs the trained weights)` };
  const weights = new Map(ckpt.tensors.filter((t) => !t.name.includes(':')).map((t) => [t.name, t]));
  const planned = await loadPlannedRun(runDir);
  if ('skipped' in planned) return planned;
  return { run: { ...planned.run, weights } };
}

/** The trained weights, by parameter name, into a freshly built model (a lesioned one has fewer). */
export function loadWeights(model: Model, weights: Map<string, NamedArray>): void {
  for (const p of model.params) {
    const t = weights.get(p.name);
    if (!t) throw new Error(`the checkpoint has no parameter ${p.name}`);
    tf.tidy(() => p.variable.assign(tf.tensor(t.data, t.shape)));
  }
}
