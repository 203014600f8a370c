// Lesion study (Veit, Wilber, Belongie 2016, "Residual networks behave like ensembles of relatively
// shallow networks"): the test error of a trained net with blocks deleted at test time, (a) each
// block in turn and (b) k random blocks, several seeded draws per k. A deleted block passes its
// input through (for a residual block that is its identity shortcut); one whose input and output
// shapes differ (a down-sampling block) cannot be deleted and is listed as such. Batch-norm
// statistics stay the trained ones, as in the paper.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadDataset } from '../data/index.js';
import { makeRng } from '../data/rng.js';
import { writeFileAtomic, writeJsonAtomic } from '../ground/atomic.js';
import { buildModel, type BlockSite } from '../models/index.js';
import type { Model } from '../models/types.js';
import { formatRows } from '../store/csv-log.js';
import { readManifest } from '../store/run-dir.js';
import { LESION_COLUMNS, type LesionRow } from '../store/types.js';
import { evaluate } from '../train/evaluate.js';
import { loadCheckpoint, type NamedArray } from '../weights/checkpoint.js';

export interface LesionSettings {
  /** Test examples scored per lesion (the first N of the eval split; all when larger). */
  examples: number;
  /** Largest number of blocks deleted at once in the random study. */
  maxK: number;
  /** Random draws of k blocks per k. */
  draws: number;
  /** Seed of the draws (with the run's own seed). */
  seed: number;
}

export const LESION_DEFAULTS: LesionSettings = { examples: 2000, maxK: 10, draws: 5, seed: 0 };

export type LesionOutcome = { status: 'done'; rows: LesionRow[] } | { status: 'skipped'; reason: string };

/** The trained weights, by parameter name, into a freshly built (possibly lesioned) model. */
function loadWeights(model: Model, weights: Map<string, NamedArray>): void {
  for (const p of model.params) {
    const t = weights.get(p.name);
    if (!t) throw new Error(`the checkpoint has no parameter ${p.name}`);
    tf.tidy(() => p.variable.assign(tf.tensor(t.data, t.shape)));
  }
}

export async function lesionRun(
  runDir: string,
  settings: LesionSettings,
  onProgress?: (done: number, total: number) => void,
): Promise<LesionOutcome> {
  const manifest = readManifest(runDir);
  if (!manifest) return { status: 'skipped', reason: 'no manifest.json' };
  if (manifest.status !== 'completed')
    return { status: 'skipped', reason: `run is ${manifest.status}, not completed` };
  const ckpt = loadCheckpoint<unknown>(runDir);
  if (!ckpt)
    return { status: 'skipped', reason: 'no checkpoint/ckpt.bin (lesions need the trained weights)' };
  const cfg = manifest.config;
  const weights = new Map(ckpt.tensors.filter((t) => !t.name.includes(':')).map((t) => [t.name, t]));
  const data = await loadDataset(cfg.data, cfg.data.seed, cfg.seed);
  const n = Math.min(settings.examples, data.test.n);
  const batch = Math.max(cfg.train.batchSize, 256);

  const sites = new Map<string, BlockSite>();
  const errorWith = (skip: string[]): number => {
    const model = buildModel(cfg.model, data.inputShape, data.numClasses, cfg.seed, {
      skipBlocks: new Set(skip),
      onBlock: (site) => sites.set(site.path, site),
    });
    try {
      loadWeights(model, weights);
      return evaluate(model, data.test, batch, n).error;
    } finally {
      model.dispose();
    }
  };

  const intact = errorWith([]);
  if (sites.size === 0)
    return { status: 'skipped', reason: `model family "${cfg.model.family}" has no blocks to delete` };
  const depthOf = new Map<string, number>();
  {
    // Depth index of each block's first weighted layer, in the intact net.
    const model = buildModel(cfg.model, data.inputShape, data.numClasses, cfg.seed);
    for (const l of model.layers) {
      const block = [...sites.keys()].find((path) => l.name.startsWith(`${path}.`));
      if (block && !depthOf.has(block)) depthOf.set(block, l.depthIndex);
    }
    model.dispose();
  }
  const removable = [...sites.values()].filter((s) => s.removable).map((s) => s.path);
  const maxK = Math.min(settings.maxK, removable.length);
  const total = sites.size + maxK * settings.draws;
  let done = 0;
  const tick = (): void => onProgress?.(++done, total);

  const rows: LesionRow[] = [
    { mode: 'intact', k: 0, draw: 0, block: '', depth_index: NaN, error: intact, status: 'ok' },
    {
      mode: 'chance',
      k: 0,
      draw: 0,
      block: '',
      depth_index: NaN,
      error: 1 - 1 / data.numClasses,
      status: 'ok',
    },
  ];
  for (const site of [...sites.values()].sort((a, b) => a.index - b.index)) {
    rows.push({
      mode: 'single',
      k: 1,
      draw: 0,
      block: site.path,
      depth_index: depthOf.get(site.path) ?? NaN,
      error: site.removable ? errorWith([site.path]) : NaN,
      status: site.removable ? 'ok' : `not removable: ${site.reason}`,
    });
    tick();
  }
  for (let k = 1; k <= maxK; k++) {
    for (let draw = 0; draw < settings.draws; draw++) {
      const rng = makeRng(settings.seed * 1_000_003 + cfg.seed, `lesion-k${k}-d${draw}`);
      const pool = [...removable];
      const chosen: string[] = [];
      while (chosen.length < k) chosen.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
      chosen.sort((a, b) => sites.get(a)!.index - sites.get(b)!.index);
      rows.push({
        mode: 'random',
        k,
        draw,
        block: chosen.join('+'),
        depth_index: NaN,
        error: errorWith(chosen),
        status: 'ok',
      });
      tick();
    }
  }
  return { status: 'done', rows };
}

/** lesion.json beside lesion.csv: the settings and the run they were computed for. */
const settingsFile = (runDir: string): string => join(runDir, 'lesion.json');

/** Whether lesion.csv already holds these settings' results for this run (its fingerprint). */
export function lesionUpToDate(runDir: string, settings: LesionSettings): boolean {
  if (!existsSync(join(runDir, 'lesion.csv')) || !existsSync(settingsFile(runDir))) return false;
  try {
    const recorded = JSON.parse(readFileSync(settingsFile(runDir), 'utf8'));
    return (
      JSON.stringify(recorded) ===
      JSON.stringify({ ...settings, run: readManifest(runDir)?.fingerprint ?? null })
    );
  } catch {
    return false;
  }
}

export async function writeLesion(
  runDir: string,
  settings: LesionSettings,
  rows: LesionRow[],
): Promise<void> {
  writeFileAtomic(
    join(runDir, 'lesion.csv'),
    LESION_COLUMNS.join(',') + '\n' + (await formatRows(rows, LESION_COLUMNS)),
  );
  writeJsonAtomic(settingsFile(runDir), { ...settings, run: readManifest(runDir)?.fingerprint ?? null });
}

/** The lesion study of each run directory, skipping up-to-date ones; one line per run to `log`. */
export async function lesionRuns(
  dirs: string[],
  settings: LesionSettings,
  opts: { force?: boolean; log: (line: string) => void },
): Promise<void> {
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
  for (const dir of dirs) {
    const id = basename(dir);
    if (!opts.force && lesionUpToDate(dir, settings)) {
      opts.log(`lesion up to date ${id}`);
      continue;
    }
    const t0 = Date.now();
    const outcome = await lesionRun(dir, settings, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${id}: lesion ${done}/${total}`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (outcome.status === 'skipped') {
      opts.log(`lesion skipped ${id}: ${outcome.reason}`);
      continue;
    }
    await writeLesion(dir, settings, outcome.rows);
    const intact = outcome.rows.find((r) => r.mode === 'intact')!.error;
    const singles = outcome.rows.filter((r) => r.mode === 'single');
    const deleted = singles.filter((r) => r.status === 'ok');
    const mean = deleted.reduce((s, r) => s + r.error, 0) / Math.max(1, deleted.length);
    opts.log(
      `lesion ${id}: intact ${pct(intact)}, one block deleted ${pct(mean)} on average over ${deleted.length} blocks` +
        `${singles.length > deleted.length ? ` (${singles.length - deleted.length} not removable)` : ''}, ` +
        `${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
}
