// What every analysis of a run starts from: its manifest, its data (as it trained on them: same
// seeds, same normalisation) and, for a trained run, its final weights by name; or the reason it
// cannot be read.
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/schema.js';
import { loadDataset, type Dataset } from '../data/index.js';
import type { Model } from '../models/types.js';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UserError } from '../ground/errors.js';
import { loadPlugins } from '../plugins.js';
import { readManifest } from '../store/run-dir.js';
import { fileDigest } from '../train/identity.js';
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

/**
 * Loads the plugin files a run's net is built from, as its manifest records them: each at its
 * recorded path, or at the path given for a file of that name (`moved`: --plugin NEW), and only with
 * the bytes the run was trained with. A missing or changed file is a user's error naming the run,
 * the file and the way forward.
 */
export async function loadRunPlugins(
  runDir: string,
  manifest: Manifest,
  moved: readonly string[] = [],
): Promise<void> {
  const recorded = manifest.plugins ?? [];
  const files: string[] = [];
  for (const { path, sha256 } of recorded) {
    const file = moved.map((m) => resolve(m)).find((m) => basename(m) === basename(path)) ?? path;
    if (!existsSync(file)) {
      throw new UserError(
        `${runDir}: its net uses plugin ${path}, which is not there; pass --plugin <new path of ${basename(path)}>`,
      );
    }
    if (fileDigest(file) !== sha256) {
      throw new UserError(
        `${runDir}: plugin ${file} changed since the run trained with it (sha256 ${sha256.slice(0, 12)}…, now ` +
          `${fileDigest(file).slice(0, 12)}…); restore that version, or train the run again with this one`,
      );
    }
    files.push(file);
  }
  // Runs recorded before plugin paths were: the files given, as they are.
  if (recorded.length === 0 && (manifest.identity?.plugins.length ?? 0) > 0)
    files.push(...moved.map((m) => resolve(m)));
  if (files.length) await loadPlugins(files);
}

/** Why a run's net cannot be built: the error, and which plugins the run used where a name is unknown. */
export function buildProblem(manifest: Manifest, err: unknown): string {
  const message = (err as Error).message.replace(/\s+/g, ' ');
  const used = (manifest.plugins ?? []).map((p) => p.path);
  const named = manifest.identity?.plugins.map((p) => p.file) ?? [];
  if (!/unknown (block|model family|dataset)/.test(message) || (used.length === 0 && named.length === 0))
    return message;
  return `${message} (the run used plugin ${used.length ? used.join(', ') : named.join(', ')}; pass --plugin FILE)`;
}

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
