// The loss landscape: filter normalisation, the slice through the trained weights, and the two
// numbers the finding reads from the rows (loss rise, non-convex share).
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { filterNormalizedDirection, landscapeRun } from '../../src/analyses/landscape.js';
import { initEngine } from '../../src/engine/index.js';
import { buildModel } from '../../src/models/index.js';
import { RunConfig } from '../../src/config/schema.js';
import { lossRise, nonConvexShare } from '../../src/report/findings/landscape-measures.js';
import { emptyReportData, type LandscapePoint } from '../../src/report/rows.js';
import { runTraining } from '../../src/train/run.js';
import { removeTempDirs, tempDir } from '../data/helpers.js';
import { tinyConfig } from '../train/helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu', quiet: true });
});
afterAll(removeTempDirs);

test('filter normalisation: every filter of the direction has the norm of its weight filter; 1-D parameters get none', () => {
  const model = buildModel(RunConfig.parse({ model: { depth: 8, width: 4 } }).model, [8, 8, 1], 10, 1);
  const d = filterNormalizedDirection(model, 3);
  for (const p of model.params) {
    const dir = d.get(p.name)!;
    if (p.shape.length < 2 || !p.trainable) {
      expect({ name: p.name, max: tf.max(tf.abs(dir)).dataSync()[0] }).toEqual({ name: p.name, max: 0 });
      continue;
    }
    const units = p.shape[p.shape.length - 1];
    const wNorms = tf.norm(tf.reshape(p.variable, [-1, units]), 'euclidean', 0).arraySync() as number[];
    const dNorms = tf.norm(tf.reshape(dir, [-1, units]), 'euclidean', 0).arraySync() as number[];
    dNorms.forEach((v, j) => expect(v).toBeCloseTo(wNorms[j], 4));
  }
  tf.dispose([...d.values()]);
  model.dispose();
});

test('the slice passes through the trained weights: the loss at (0, 0) is the model own loss on the subset', async () => {
  const results = tempDir('landscape-run');
  const cfg = tinyConfig({ train: { steps: 8 }, data: { trainSize: 64, testSize: 32 } });
  await runTraining(
    { id: 'r', experiment: 'e', config: cfg },
    { resultsDir: results, backend: 'cpu', quiet: true },
  );
  const before = tf.memory().numTensors;
  const settings = { points: 5, grid: 3, range: 0.5, examples: 64, seed: 0 };
  const out = await landscapeRun(join(results, 'r'), settings);
  expect(tf.memory().numTensors).toBe(before);
  if (out.status !== 'done') throw new Error(out.reason);
  const line = out.rows.filter((r) => r.dir === '1d');
  expect(line.map((r) => r.alpha)).toEqual([-0.5, -0.25, 0, 0.25, 0.5]);
  const plane = out.rows.filter((r) => r.dir === '2d');
  expect(plane).toHaveLength(9);
  // All 64 training examples: the subset is the whole split, and at (0, 0) nothing moved.
  const origin = plane.find((r) => r.alpha === 0 && r.beta === 0)!;
  expect(origin.loss).toBeCloseTo(line.find((r) => r.alpha === 0)!.loss, 10);
  const { evaluate } = await import('../../src/train/evaluate.js');
  const { loadTrainedRun, loadWeights } = await import('../../src/analyses/trained-run.js');
  const loaded = await loadTrainedRun(join(results, 'r'), 'test');
  if ('skipped' in loaded) throw new Error(loaded.skipped);
  const model = buildModel(cfg.model, loaded.run.data.inputShape, 10, cfg.seed);
  loadWeights(model, loaded.run.weights);
  expect(origin.loss).toBeCloseTo((await evaluate(model, loaded.run.data.train, 256)).loss, 5);
  model.dispose();
  // Seeded: the same settings give the same slice, bit for bit.
  const again = await landscapeRun(join(results, 'r'), settings);
  if (again.status !== 'done') throw new Error(again.reason);
  expect(again.rows).toEqual(out.rows);
  // Moving away from a trained minimum costs loss.
  expect(Math.max(...line.map((r) => r.loss))).toBeGreaterThan(origin.loss);
}, 120_000);

const surface = (f: (a: number, b: number) => number): LandscapePoint[] => {
  const axis = [-1, -0.5, 0, 0.5, 1];
  return axis.flatMap((a) =>
    axis.map((b) => ({ dir: '2d', alpha: a, beta: b, loss: f(a, b), error: 0 }) as LandscapePoint),
  );
};

test('the finding numbers: a bowl is convex everywhere, a saddle nowhere; the rise reads half the range', () => {
  expect(nonConvexShare(surface((a, b) => a * a + b * b))).toBe(0);
  expect(nonConvexShare(surface((a, b) => a * a - b * b))).toBe(1);
  const line = [-1, -0.5, 0, 0.5, 1].map(
    (a) => ({ dir: '1d', alpha: a, beta: 0, loss: 1 + 4 * a * a, error: 0 }) as LandscapePoint,
  );
  expect(lossRise(line)).toBeCloseTo(1, 10); // 4 * 0.5^2
});

test('the findings compare plain and residual by the interval of the difference; the figure has both slices', async () => {
  const { computeFindings } = await import('../../src/report/findings/index.js');
  const { landscapeFigure } = await import('../../src/report/figures/landscape.js');
  const facets = (residual: boolean, seed: number) => ({
    run: `${residual ? 'res' : 'plain'}-${seed}`,
    experiment: 'e',
    family: 'cifar',
    block: residual ? 'basic' : 'plain',
    residual,
    arch: residual ? 'residual' : 'plain',
    norm: 'batch',
    depth: 32,
    seed,
    variant: 'relu',
  });
  const landscapes = [false, true].flatMap((residual) =>
    [0, 1].flatMap((seed) => {
      const k = (residual ? 1 : 10) + seed; // the plain net's bowl is ten times steeper
      return [
        ...[-1, -0.5, 0, 0.5, 1].map((a) => ({
          ...facets(residual, seed),
          dir: '1d',
          alpha: a,
          beta: 0,
          loss: 0.1 + k * a * a,
          error: 0,
        })),
        ...surface((a, b) => 0.1 + k * (a * a + b * b)).map((p) => ({ ...p, ...facets(residual, seed) })),
      ];
    }),
  );
  const data = { ...emptyReportData(), landscapes };
  const findings = computeFindings(data);
  const sharp = findings.find((f) => f.id === 'landscape-sharpness')!;
  expect(sharp.verdict).toBe('reproduced');
  expect(sharp.text).toMatch(
    /residual-32 by 0\.38 \(range 0\.25–0\.50, 2 seeds\) and of plain-32 by 2\.63 \(range 2\.50–2\.75/,
  );
  // Both are bowls: no non-convex point on either side, so the convexity claim cannot be decided.
  const convex = findings.find((f) => f.id === 'landscape-convexity')!;
  expect(convex.text).toMatch(/residual-32 0% .* plain-32 0% /);
  expect(convex.verdict).toBe('not established');
  const spec = landscapeFigure(data) as unknown as { vconcat: unknown[] };
  expect(spec.vconcat).toHaveLength(2);
});
