// Loss landscape (Li, Xu, Taylor, Studer, Goldstein 2018, "Visualizing the Loss Landscape of Neural
// Nets"): the training loss around the trained weights θ along seeded random directions,
// f(θ + α·δ) (1-D) and f(θ + α·δ + β·η) (2-D). Filter normalisation: each filter of a direction
// (one output unit of a conv or dense kernel) is rescaled to the norm of the same filter of θ, so
// nets of different scale compare; one-dimensional parameters (biases, batch-norm scale and shift)
// get a zero direction and batch-norm statistics stay the trained ones, as in the paper.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { makeRng, permutation } from '../data/rng.js';
import { take } from '../data/subset.js';
import { buildModel } from '../models/index.js';
import type { Model } from '../models/types.js';
import { LANDSCAPE_COLUMNS, type LandscapeRow } from '../store/types.js';
import { evaluate } from '../train/evaluate.js';
import type { AnalysisDefinition, AnalysisOutcome } from './definition.js';
import { loadTrainedRun, loadWeights } from './trained-run.js';

export const LandscapeSettingsSchema = z.strictObject({
  points: z.number().int().min(3).default(21).describe('1-D: points from -range to +range'),
  grid: z.number().int().min(0).default(11).describe('2-D: points per axis (0: no 2-D slice)'),
  range: z
    .number()
    .positive()
    .default(1)
    .describe('largest |alpha| and |beta|, in units of the filter-normalised direction'),
  examples: z
    .number()
    .int()
    .positive()
    .default(512)
    .describe('training examples in the fixed, seeded subset'),
  seed: z.number().int().min(0).default(0).describe('seed of the directions and of the subset'),
});
export type LandscapeSettings = z.infer<typeof LandscapeSettingsSchema>;

/** N(0, 1) samples by Box-Muller from a seeded stream (TF.js treats a seed of 0 as no seed at all). */
function standardNormals(rng: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(rng() || Number.MIN_VALUE));
    const t = 2 * Math.PI * rng();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/**
 * A filter-normalised random direction for each parameter: N(0, 1), then each output unit (last
 * axis) scaled to the norm of θ's; zero for one-dimensional and non-trainable parameters.
 */
export function filterNormalizedDirection(model: Model, seed: number): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  model.params.forEach((p, i) => {
    out.set(
      p.name,
      tf.tidy(() => {
        if (!p.trainable || p.shape.length < 2) return tf.zeros(p.shape);
        const units = p.shape[p.shape.length - 1];
        const d = tf.tensor2d(standardNormals(makeRng(seed, `landscape-direction-${i}`), p.variable.size), [
          p.variable.size / units,
          units,
        ]);
        const w = tf.reshape(p.variable, [-1, units]);
        const scale = tf.div(tf.norm(w, 'euclidean', 0), tf.add(tf.norm(d, 'euclidean', 0), 1e-10));
        return tf.reshape(tf.mul(d, scale), p.shape);
      }),
    );
  });
  return out;
}

export async function landscapeRun(
  runDir: string,
  settings: LandscapeSettings,
  onProgress?: (done: number, total: number) => void,
): Promise<AnalysisOutcome<LandscapeRow>> {
  const loaded = await loadTrainedRun(runDir, 'a loss landscape');
  if ('skipped' in loaded) return { status: 'skipped', reason: loaded.skipped };
  const { cfg, data, weights } = loaded.run;
  const n = Math.min(settings.examples, data.train.n);
  const subset = take(
    data.train,
    permutation(makeRng(settings.seed, 'landscape-subset'), data.train.n).subarray(0, n),
    data.inputShape,
  );
  const model = buildModel(cfg.model, data.inputShape, data.numClasses, cfg.seed);
  loadWeights(model, weights);
  const theta = new Map(model.params.map((p) => [p.name, tf.clone(p.variable)]));
  const delta = filterNormalizedDirection(model, settings.seed * 2);
  const eta = filterNormalizedDirection(model, settings.seed * 2 + 1);
  const batch = Math.max(cfg.train.batchSize, 256);
  const axis = (count: number): number[] =>
    Array.from({ length: count }, (_, i) =>
      count === 1 ? 0 : -settings.range + (2 * settings.range * i) / (count - 1),
    );
  const alphas1 = axis(settings.points);
  const grid = axis(settings.grid);
  const total = alphas1.length + grid.length * grid.length;
  let done = 0;
  const at = async (alpha: number, beta: number): Promise<{ loss: number; error: number }> => {
    for (const p of model.params) {
      tf.tidy(() =>
        p.variable.assign(
          tf.add(
            theta.get(p.name)!,
            tf.add(tf.mul(delta.get(p.name)!, alpha), tf.mul(eta.get(p.name)!, beta)),
          ),
        ),
      );
    }
    const r = await evaluate(model, subset, batch);
    onProgress?.(++done, total);
    return { loss: r.loss, error: r.error };
  };
  try {
    const rows: LandscapeRow[] = [];
    for (const alpha of alphas1) rows.push({ dir: '1d', alpha, beta: 0, ...(await at(alpha, 0)) });
    for (const beta of grid)
      for (const alpha of grid) rows.push({ dir: '2d', alpha, beta, ...(await at(alpha, beta)) });
    return { status: 'done', rows };
  } finally {
    tf.dispose([...theta.values(), ...delta.values(), ...eta.values()]);
    model.dispose();
  }
}

export const landscapeAnalysis: AnalysisDefinition<LandscapeSettings, LandscapeRow> = {
  name: 'landscape',
  description:
    'training loss along filter-normalised random directions around the trained weights (Li et al. 2018)',
  settings: LandscapeSettingsSchema,
  columns: LANDSCAPE_COLUMNS,
  run: landscapeRun,
  summary(rows) {
    const line = rows.filter((r) => r.dir === '1d');
    const origin = line.reduce((best, r) => (Math.abs(r.alpha) < Math.abs(best.alpha) ? r : best), line[0]);
    const far = Math.max(...line.map((r) => r.loss));
    return `loss ${origin.loss.toFixed(3)} at the trained weights, ${far.toFixed(3)} at worst along the 1-D slice, ${rows.length - line.length} 2-D points`;
  },
};
