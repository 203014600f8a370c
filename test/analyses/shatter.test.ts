// Shattered gradients: the measurement (a linear net's gradient is constant along the line, a deep
// plain net's decorrelates faster than a residual one's), the rows a run gets, and the finding's
// fitted decay rates and verdicts.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { resolveAnalyses } from '../../src/analyses/registry.js';
import { lineGradients, shatterRun } from '../../src/analyses/shatter.js';
import { RunConfig } from '../../src/config/schema.js';
import { initEngine } from '../../src/engine/index.js';
import { buildModel } from '../../src/models/index.js';
import type { Model } from '../../src/models/types.js';
import { emptyReportData, type ShatterPoint } from '../../src/report/rows.js';
import { computeFindings } from '../../src/report/findings/index.js';
import { decayRates } from '../../src/report/findings/shatter.js';

const shatterFindings = (data: Parameters<typeof computeFindings>[0]) =>
  computeFindings(data).filter((f) => f.id === 'shatter');
import { writeManifest } from '../../src/store/run-dir.js';
import { removeTempDirs, tempDir } from '../data/helpers.js';
import { tinyConfig } from '../train/helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu', quiet: true });
});
afterAll(removeTempDirs);

/** f(x) = x·W: its input gradient is the same at every point, whatever the point. */
function linearModel(features: number, classes: number): Model {
  const w = tf.variable(tf.randomNormal([features, classes], 0, 1, 'float32', 5));
  return {
    name: 'linear',
    residual: false,
    inputShape: [features],
    numClasses: classes,
    params: [],
    layers: [],
    forward: (x) => ({
      logits: tf.matMul(x as tf.Tensor2D, w),
      responses: new Map(),
      activations: new Map(),
    }),
    dispose: () => w.dispose(),
  };
}

const rampOf = (n: number, scale: number) =>
  Float32Array.from({ length: n }, (_, i) => scale * Math.sin(i + 1));

test('a linear net: the gradient is constant along the line, so every lag correlates 1 and the derivative is flat', async () => {
  const model = linearModel(12, 3);
  const before = tf.memory().numTensors;
  const out = await lineGradients(
    model,
    rampOf(12, 1),
    rampOf(12, -2),
    32,
    8,
    Float32Array.from([0.3, -1, 0.5]),
  );
  expect(tf.memory().numTensors).toBe(before);
  expect(out.autocorrelation).toHaveLength(8);
  for (const r of out.autocorrelation) expect(r).toBeCloseTo(1, 6);
  expect(out.derivative).toHaveLength(32);
  for (const d of out.derivative) expect(d).toBeCloseTo(out.derivative[0], 4);
  expect(Math.abs(out.derivative[0])).toBeGreaterThan(1e-3);
  model.dispose();
});

test('a nonlinear net: its gradients are not constant, and correlation falls with the lag', async () => {
  const cfg = RunConfig.parse({ model: { depth: 14, width: 4, block: 'plain' } }).model;
  const model = buildModel(cfg, [6, 6, 1], 4, 3);
  const out = await lineGradients(
    model,
    rampOf(36, 1),
    rampOf(36, -1),
    48,
    12,
    Float32Array.from([1, -1, 0.5, 0.2]),
  );
  model.dispose();
  expect(out.autocorrelation[0]).toBeLessThan(0.999);
  expect(out.autocorrelation[11]).toBeLessThan(out.autocorrelation[0]);
});

test('a deep plain net with batch norm shatters its gradients more than the residual net of the same depth', async () => {
  const lag1 = async (block: string) => {
    const cfg = RunConfig.parse({ model: { depth: 26, width: 4, block } }).model;
    const model = buildModel(cfg, [8, 8, 1], 4, 1);
    try {
      const line = await lineGradients(
        model,
        rampOf(64, 1),
        rampOf(64, -1),
        64,
        1,
        Float32Array.from([1, -1, 0.5, 0.2]),
      );
      return line.autocorrelation[0];
    } finally {
      model.dispose();
    }
  };
  expect(await lag1('plain')).toBeLessThan((await lag1('basic')) - 0.1);
});

test('a run gets gradient and autocorrelation rows for its own net and for its unnormalised counterpart', async () => {
  const dir = join(tempDir('shatter-run'), 'r');
  const cfg = tinyConfig();
  writeManifest(dir, { id: 'r', experiment: 'e', status: 'running', config: cfg } as never);
  const out = await shatterRun(dir, { points: 16, maxLag: 4, seed: 0, withoutNorm: true });
  if (out.status !== 'done') throw new Error(out.reason);
  for (const norm of ['batch', 'none']) {
    const mine = out.rows.filter((r) => r.norm === norm);
    expect(mine.filter((r) => r.series === 'gradient').map((r) => r.position)).toEqual(
      Array.from({ length: 16 }, (_, i) => i / 15),
    );
    expect(mine.filter((r) => r.series === 'autocorrelation').map((r) => r.position)).toEqual([1, 2, 3, 4]);
    expect(mine.every((r) => r.status === 'ok' && Number.isFinite(r.value))).toBe(true);
  }
  const again = await shatterRun(dir, { points: 16, maxLag: 4, seed: 0, withoutNorm: false });
  if (again.status !== 'done') throw new Error(again.reason);
  expect(new Set(again.rows.map((r) => r.norm))).toEqual(new Set(['batch']));
  // Same seed, same net, same line: the same numbers.
  expect(again.rows).toEqual(out.rows.filter((r) => r.norm === 'batch'));
});

test('a directory without a manifest is skipped with its reason', async () => {
  const out = await shatterRun(tempDir('shatter-empty'), {
    points: 16,
    maxLag: 4,
    seed: 0,
    withoutNorm: true,
  });
  expect(out).toEqual({ status: 'skipped', reason: 'no manifest.json' });
});

test('a malformed shatter entry in an experiment is a problem at its JSON path', () => {
  const { problems } = resolveAnalyses(['lesion', { name: 'shatter', points: 2 }]);
  expect(problems.map((p) => p.path)).toEqual(['analyses[1].points']);
});

test('the decay rates: 2^-L gives a factor of 0.5 per layer, L^-0.5 an exponent of -0.5', () => {
  const depths = [2, 4, 6, 8];
  expect(decayRates(depths.map((depth) => ({ depth, value: 2 ** -depth }))).perLayer).toBeCloseTo(0.5, 10);
  expect(decayRates(depths.map((depth) => ({ depth, value: depth ** -0.5 }))).power).toBeCloseTo(-0.5, 10);
  // Below the noise floor a correlation counts as zero (1e-3): deeper nets do not steepen the fit.
  const floored = decayRates([8, 10, 12, 14].map((depth) => ({ depth, value: 2 ** -depth })));
  expect(floored.perLayer).toBeGreaterThan(0.5);
});

function points(residual: boolean, depth: number, values: number[], norm = 'batch'): ShatterPoint[] {
  return values.map((value, seed) => ({
    run: `${residual ? 'basic' : 'plain'}-${depth}-s${seed}`,
    experiment: 'e',
    family: 'cifar',
    block: residual ? 'basic' : 'plain',
    residual,
    arch: residual ? 'residual' : 'plain',
    norm,
    depth,
    seed,
    variant: '',
    series: 'autocorrelation',
    position: 1,
    value,
    status: 'ok',
  }));
}

test('the finding: plain decorrelating faster is reproduced, the reverse is not, overlapping seeds are not established', () => {
  const verdict = (p20: number[], p32: number[], r20: number[], r32: number[]) => {
    const shatter = [
      ...points(false, 20, p20),
      ...points(false, 32, p32),
      ...points(true, 20, r20),
      ...points(true, 32, r32),
    ];
    const found = shatterFindings({ ...emptyReportData(), shatter });
    expect(found).toHaveLength(1);
    return found[0];
  };
  const reproduced = verdict([0.5, 0.55], [0.06, 0.1], [0.9, 0.92], [0.85, 0.88]);
  expect(reproduced.verdict).toBe('reproduced');
  expect(reproduced.setting).toBe(''); // one setting: no label
  expect(reproduced.text).toContain('plain-20 0.525 (range 0.500–0.550, 2 seeds) → plain-32 0.080');
  expect(verdict([0.9, 0.92], [0.85, 0.88], [0.5, 0.55], [0.06, 0.1]).verdict).toBe('not reproduced');
  expect(verdict([0.5, 0.55], [0.3, 0.9], [0.9, 0.92], [0.85, 0.88]).verdict).toBe('not established');
  // One depth only: no trend to read, no finding.
  expect(shatterFindings({ ...emptyReportData(), shatter: points(false, 20, [0.5, 0.6]) })).toEqual([]);
});
