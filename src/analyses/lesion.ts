// Lesion study (Veit, Wilber, Belongie 2016, "Residual networks behave like ensembles of relatively
// shallow networks"): the test error of a trained net with blocks deleted at test time, (a) each
// block in turn and (b) k random blocks, several seeded draws per k. A deleted block passes its
// input through (for a residual block that is its identity shortcut); one whose input and output
// shapes differ (a down-sampling block) cannot be deleted and is listed as such. Batch-norm
// statistics stay the trained ones, as in the paper.
import { makeRng } from '../data/rng.js';
import { buildModel, type BlockSite } from '../models/index.js';
import { z } from 'zod';
import { LESION_COLUMNS, type LesionRow } from '../store/types.js';
import type { AnalysisDefinition, AnalysisOutcome } from './definition.js';
import { evaluate } from '../train/evaluate.js';
import { loadTrainedRun, loadWeights } from './trained-run.js';

export const LesionSettingsSchema = z.strictObject({
  examples: z.number().int().positive().default(2000).describe('test examples scored per lesion'),
  maxK: z.number().int().min(0).default(10).describe('most blocks deleted at once'),
  draws: z.number().int().positive().default(5).describe('random draws per k'),
  seed: z.number().int().min(0).default(0).describe('seed of the draws'),
});

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

export type LesionOutcome = AnalysisOutcome<LesionRow>;

export async function lesionRun(
  runDir: string,
  settings: LesionSettings,
  onProgress?: (done: number, total: number) => void,
): Promise<LesionOutcome> {
  const loaded = await loadTrainedRun(runDir, 'a lesion study');
  if ('skipped' in loaded) return { status: 'skipped', reason: loaded.skipped };
  const { cfg, data, weights } = loaded.run;
  const n = Math.min(settings.examples, data.test.n);
  const batch = Math.max(cfg.train.batchSize, 256);

  const sites = new Map<string, BlockSite>();
  const depthOf = new Map<string, number>(); // of each block's first weighted layer, in the intact net
  const errorWith = async (skip: string[]): Promise<number> => {
    const model = buildModel(cfg.model, data.inputShape, data.numClasses, cfg.seed, {
      skipBlocks: new Set(skip),
      onBlock: (site) => sites.set(site.path, site),
    });
    try {
      if (skip.length === 0) {
        for (const l of model.layers) {
          const block = [...sites.keys()].find((path) => l.name.startsWith(`${path}.`));
          if (block && !depthOf.has(block)) depthOf.set(block, l.depthIndex);
        }
      }
      loadWeights(model, weights);
      return (await evaluate(model, data.test, batch, n)).error;
    } finally {
      model.dispose();
    }
  };

  const intact = await errorWith([]);
  if (sites.size === 0)
    return { status: 'skipped', reason: `model family "${cfg.model.family}" has no blocks to delete` };
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
      error: site.removable ? await errorWith([site.path]) : NaN,
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
        error: await errorWith(chosen),
        status: 'ok',
      });
      tick();
    }
  }
  return { status: 'done', rows };
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

export const lesionAnalysis: AnalysisDefinition<LesionSettings, LesionRow> = {
  name: 'lesion',
  description:
    'test error with each block deleted in turn and with k random blocks deleted (Veit et al. 2016)',
  settings: LesionSettingsSchema,
  columns: LESION_COLUMNS,
  run: lesionRun,
  summary(rows) {
    const intact = rows.find((r) => r.mode === 'intact')!.error;
    const singles = rows.filter((r) => r.mode === 'single');
    const deleted = singles.filter((r) => r.status === 'ok');
    const mean = deleted.reduce((s, r) => s + r.error, 0) / Math.max(1, deleted.length);
    return (
      `intact ${pct(intact)}, one block deleted ${pct(mean)} on average over ${deleted.length} blocks` +
      (singles.length > deleted.length ? ` (${singles.length - deleted.length} not removable)` : '')
    );
  },
};
