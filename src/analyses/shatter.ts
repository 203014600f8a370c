// Shattered gradients (Balduzzi, Frean, Leary, Lewis, Ma, McWilliams 2017, "The Shattered Gradients
// Problem: If resnets are the answer, then what is the question?"): at initialisation, the gradient
// of a net's output with respect to its input, taken at points along a line between two training
// images. In a shallow net (or a residual one) gradients at neighbouring points are alike (brown
// noise); in a deep plain net they decorrelate (white noise). The output is a fixed, seeded random
// projection of the logits, so no class is favoured. Normalisation layers use the statistics of the
// line's points as one batch, as they would in training. Each run is measured as configured and,
// when it normalises, once more with its normalisation removed (same seed), so one experiment shows
// both.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { gauss, makeRng, randInt } from '../data/rng.js';
import { exampleSize, type Split } from '../data/types.js';
import { buildModel } from '../models/index.js';
import type { Model } from '../models/types.js';
import { SHATTER_COLUMNS, type ShatterRow } from '../store/types.js';
import type { AnalysisDefinition, AnalysisOutcome } from './definition.js';
import { buildProblem, loadPlannedRun } from './trained-run.js';

export const ShatterSettingsSchema = z.strictObject({
  points: z.number().int().min(8).default(256).describe('inputs along the line, ends included'),
  maxLag: z.number().int().positive().default(32).describe('largest lag (in points) of the autocorrelation'),
  seed: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('seed of the two end images and of the output projection'),
  withoutNorm: z
    .boolean()
    .default(true)
    .describe("also measure each normalised net with its normalisation removed ('none')"),
});
export type ShatterSettings = z.infer<typeof ShatterSettingsSchema>;

export interface LineGradients {
  /** d output / dt at each point x_t = from + t·(to − from), t = 0 .. 1. */
  derivative: Float64Array;
  /** [k − 1]: mean over the line of the correlation between gradients k points apart, k = 1 .. maxLag. */
  autocorrelation: Float64Array;
}

/**
 * Input gradients of `model` along the line from `from` to `to` (one example each, flat), of the
 * output projected on `projection` (one weight per class). The correlation of two gradients is
 * Pearson's over their components, so a constant gradient (a linear net) correlates 1 at every lag.
 */
export async function lineGradients(
  model: Model,
  from: Float32Array,
  to: Float32Array,
  points: number,
  maxLag: number,
  projection: Float32Array,
): Promise<LineGradients> {
  const size = from.length;
  const step = new Float32Array(size);
  for (let i = 0; i < size; i++) step[i] = to[i] - from[i];
  const grads = tf.tidy(() => {
    const t = tf.linspace(0, 1, points).reshape([points, 1]);
    const line = tf.add(tf.tensor2d(from, [1, size]), tf.mul(t, tf.tensor2d(step, [1, size])));
    const x = tf.reshape(line, [points, ...model.inputShape]);
    const u = tf.tensor2d(projection, [projection.length, 1]);
    const output = (input: tf.Tensor) =>
      tf.sum(tf.matMul(model.forward(input, { training: true }).logits, u));
    return tf.reshape(tf.grad(output)(x), [points, size]);
  });
  // Asynchronous: a GPU backend (webgpu under Node) has no synchronous read-back.
  const g = (await grads.data()) as Float32Array;
  grads.dispose();

  const derivative = new Float64Array(points);
  // Each gradient centred and scaled to unit length, so a dot product is Pearson's correlation.
  const unit = new Float64Array(points * size);
  for (let p = 0; p < points; p++) {
    const row = g.subarray(p * size, (p + 1) * size);
    let mean = 0;
    let along = 0;
    for (let i = 0; i < size; i++) {
      mean += row[i];
      along += row[i] * step[i];
    }
    derivative[p] = along;
    mean /= size;
    let norm = 0;
    for (let i = 0; i < size; i++) norm += (row[i] - mean) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : NaN;
    for (let i = 0; i < size; i++) unit[p * size + i] = (row[i] - mean) * scale;
  }
  const lags = Math.min(maxLag, points - 1);
  const autocorrelation = new Float64Array(lags);
  for (let k = 1; k <= lags; k++) {
    let sum = 0;
    for (let p = 0; p + k < points; p++) {
      let dot = 0;
      const a = p * size;
      const b = (p + k) * size;
      for (let i = 0; i < size; i++) dot += unit[a + i] * unit[b + i];
      sum += dot;
    }
    autocorrelation[k - 1] = sum / (points - k);
  }
  return { derivative, autocorrelation };
}

function example(split: Split, index: number, size: number): Float32Array {
  return split.x.slice(index * size, (index + 1) * size);
}

export async function shatterRun(
  runDir: string,
  settings: ShatterSettings,
  onProgress?: (done: number, total: number) => void,
): Promise<AnalysisOutcome<ShatterRow>> {
  const loaded = await loadPlannedRun(runDir);
  if ('skipped' in loaded) return { status: 'skipped', reason: loaded.skipped };
  const { cfg, data } = loaded.run;
  if (data.train.n < 2) return { status: 'skipped', reason: 'the training split has fewer than 2 examples' };
  const size = exampleSize(data.inputShape);
  const rng = makeRng(settings.seed, 'shatter-line');
  const a = randInt(rng, data.train.n);
  let b = randInt(rng, data.train.n - 1);
  if (b >= a) b++;
  const from = example(data.train, a, size);
  const to = example(data.train, b, size);
  const projection = new Float32Array(data.numClasses);
  for (let c = 0; c < projection.length; c++) projection[c] = gauss(rng) / Math.sqrt(projection.length);

  const norms = [cfg.model.norm];
  if (settings.withoutNorm && cfg.model.norm !== 'none') norms.push('none');
  const rows: ShatterRow[] = [];
  for (const [i, norm] of norms.entries()) {
    let model: Model;
    try {
      // The same seed as the run, so the measured net is the one its training starts from.
      model = buildModel({ ...cfg.model, norm }, data.inputShape, data.numClasses, cfg.seed);
    } catch (err) {
      // The run's own net not building is a failure (no rows, tried again next time); only its
      // unnormalised counterpart may be one the block does not support.
      if (i === 0)
        return {
          status: 'failed',
          reason: `cannot build its net: ${buildProblem(loaded.run.manifest, err)}`,
        };
      const why = `cannot build it with norm ${norm}: ${(err as Error).message}`.replace(/\s+/g, ' ');
      rows.push({ norm, series: 'skipped', position: 0, value: NaN, status: why });
      continue;
    }
    try {
      const line = await lineGradients(model, from, to, settings.points, settings.maxLag, projection);
      line.derivative.forEach((value, p) =>
        rows.push({ norm, series: 'gradient', position: p / (settings.points - 1), value, status: 'ok' }),
      );
      line.autocorrelation.forEach((value, k) =>
        rows.push({ norm, series: 'autocorrelation', position: k + 1, value, status: 'ok' }),
      );
    } finally {
      model.dispose();
    }
    onProgress?.(i + 1, norms.length);
  }
  return { status: 'done', rows };
}

export const shatterAnalysis: AnalysisDefinition<ShatterSettings, ShatterRow> = {
  name: 'shatter',
  description:
    'input gradients at initialisation along a line of inputs and their autocorrelation (Balduzzi et al. 2017)',
  settings: ShatterSettingsSchema,
  columns: SHATTER_COLUMNS,
  atInitialisation: true,
  run: shatterRun,
  summary(rows) {
    const lag1 = rows.filter((r) => r.series === 'autocorrelation' && r.position === 1);
    const skipped = rows.filter((r) => r.series === 'skipped');
    const parts = lag1.map((r) => `norm ${r.norm}: ${r.value.toFixed(3)}`);
    const skips = skipped.map((r) => `norm ${r.norm} skipped (${r.status})`);
    return `correlation of neighbouring gradients ${[...parts, ...skips].join(', ')}`;
  },
};
