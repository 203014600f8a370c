// Every extension point is a registry: a plugin file registers a dataset, a model family and a probe, an
// experiment file uses them by name, the plan check asks their rules, and a run trains on them,
// with no edit to src/. Names nobody registered are refused by field.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresFor, REPORT_STATS } from '../../src/report/figures/index.js';
import { otherStats, otherStatsFigure } from '../../src/report/figures/other-stats.js';
import { loadResults } from '../../src/report/load.js';
import { loadExperiment } from '../../src/sweep/load.js';
import { ensureBuilt, runCli } from '../sweep/cli-helper.js';
import { runTraining } from '../../src/train/run.js';
import { removeTempDirs, tempDir } from '../data/helpers.js';

afterAll(removeTempDirs);
// One plugin file for the whole file: a second copy elsewhere would register the same names twice.
let dir: string;
beforeAll(() => {
  dir = tempDir('registries');
  writeFileSync(join(dir, 'extend.mjs'), PLUGIN);
});

const PLUGIN = `
export default function (gradflow) {
  // Two classes of points in the plane: x0 > x1 or not.
  gradflow.registerDataset({
    name: 'half-plane',
    description: 'points in [-1, 1]^2 labelled by x0 > x1',
    classes: 2,
    inputShape: () => [2],
    files: () => [],
    generated: true,
    load(cfg, seed) {
      const make = (n, salt) => {
        const x = new Float32Array(2 * n);
        const y = new Int32Array(n);
        let s = seed * 7919 + salt;
        const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
        for (let i = 0; i < n; i++) {
          x[2 * i] = next();
          x[2 * i + 1] = next();
          y[i] = x[2 * i] > x[2 * i + 1] ? 1 : 0;
        }
        return { x, y, n };
      };
      return { train: make(cfg.trainSize ?? 256, 1), test: make(cfg.testSize ?? 64, 2), inputShape: [2] };
    },
  });
  // A statistic of its own: the largest absolute kernel entry of each layer.
  gradflow.registerProbe({
    name: 'kernel-max',
    description: 'max |w| per layer kernel',
    stats: ['kernel_max'],
    phase: 'before-update',
    compute: (inp) => [gradflow.tf.stack(inp.kernels.map((k) => gradflow.tf.max(gradflow.tf.abs(k))))],
  });
  // Logistic regression: one dense layer; its rule is that depth must be 1.
  gradflow.registerModelFamily({
    name: 'linear',
    description: 'one dense layer',
    check: (cfg) => (cfg.depth === 1 ? [] : [{ path: 'model.depth', message: 'a linear model has depth 1' }]),
    weightedLayers: () => 1,
    network: (cfg, inputShape, numClasses) => ({
      name: 'linear',
      residual: false,
      settings: { norm: 'none', activation: cfg.activation, init: cfg.init },
      build: (x, ctx) => ctx.scope('head').dense('dense', ctx.flatten(x), numClasses),
    }),
  });
}
`;

function experiment(name: string, over: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.json`);
  const base = {
    data: { name: 'half-plane', trainSize: 256, testSize: 64 },
    model: { family: 'linear', depth: 1 },
    train: { steps: 40, batchSize: 32, lr: 0.5, schedule: { type: 'constant' } },
    probe: { every: 20 },
  };
  writeFileSync(file, JSON.stringify({ name, plugins: ['./extend.mjs'], base, seeds: [0], ...over }));
  return file;
}

test('a plugin dataset and model family plan, train and record their depth', async () => {
  const loaded = await loadExperiment(experiment('extend'));
  expect(loaded.specs.map((s) => s.id)).toEqual(['linear-basic-d1-s0']);
  const manifest = await runTraining(loaded.specs[0], {
    resultsDir: join(dir, 'results'),
    backend: 'cpu',
    quiet: true,
  });
  expect(manifest.status).toBe('completed');
  expect(manifest.weightedLayers).toBe(1);
  expect(manifest.params.trainable).toBe(2 * 2 + 2);
  expect(manifest.final!.trainError).toBeLessThan(0.2); // a linearly separable task
  expect(manifest.identity!.plugins.map((p) => p.file)).toEqual(['extend.mjs']);
  const stored = JSON.parse(
    readFileSync(join(dir, 'results', 'linear-basic-d1-s0', 'manifest.json'), 'utf8'),
  );
  expect(stored.config.data.name).toBe('half-plane');
  // The plugin's probe ran with the built-in ones: one kernel_max row per probe step for the one layer.
  const layers = readFileSync(join(dir, 'results', 'linear-basic-d1-s0', 'layers.csv'), 'utf8');
  const kernelMax = layers.split('\n').filter((l) => l.includes(',kernel_max,'));
  expect(kernelMax.map((l) => l.split(',')[0])).toEqual(['0', '20']);
  expect(kernelMax.every((l) => Number(l.split(',')[5]) > 0)).toBe(true);
  // The report shows it without a figure of its own: the other-statistics profile at the last probe.
  const data = await loadResults([join(dir, 'results')], { stats: REPORT_STATS });
  const plugged = otherStats(data).filter((l) => l.stat === 'kernel_max');
  expect(plugged.map((l) => [l.step, l.layer])).toEqual([[20, 'head.dense']]);
  expect(figuresFor(data).map((f) => f.id)).toContain('other-stats');
  const spec = JSON.stringify(otherStatsFigure(data));
  expect(spec).toContain('"stat":"kernel_max"');
}, 120_000);

const REPORT_PLUGIN = `
export default function (gradflow) {
  // A claim of its own about its own statistic, read from the rows the report loads.
  gradflow.registerFinding({
    name: 'kernel-max-bounded',
    claim: 'trained kernels stay below 10 (a plugin claim)',
    evaluate(data) {
      const rows = data.layers.filter((l) => l.stat === 'kernel_max');
      if (rows.length === 0) return [];
      const worst = Math.max(...rows.map((l) => l.value));
      return [{ id: 'kernel-max-bounded', claim: 'trained kernels stay below 10', setting: '',
        verdict: worst < 10 ? 'reproduced' : 'not reproduced', text: 'largest kernel entry ' + worst.toFixed(3) }];
    },
  });
  gradflow.registerFigure({
    id: 'kernel-max-bars',
    title: 'Largest kernel entry',
    build: (data) => ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Largest kernel entry per run',
      data: { values: data.layers.filter((l) => l.stat === 'kernel_max') },
      mark: 'bar',
      encoding: { x: { field: 'run', type: 'nominal' }, y: { field: 'value', type: 'quantitative' } },
    }),
  });
}
`;

test('a plugin adds a figure and a finding to the report, read from its own statistic', async () => {
  ensureBuilt();
  writeFileSync(join(dir, 'report-extras.mjs'), REPORT_PLUGIN);
  const out = join(dir, 'extras.html');
  const args = ['report', join(dir, 'results'), '--out', out, '--plugin', join(dir, 'report-extras.mjs')];
  const result = await runCli(args);
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.code).toBe(0);
  const html = readFileSync(out, 'utf8');
  expect(html).toMatch(/largest kernel entry \d\.\d{3}/);
  expect(html).toContain('Largest kernel entry per run');
  // Without the plugin, neither is there.
  const plain = join(dir, 'plain.html');
  expect((await runCli(['report', join(dir, 'results'), '--out', plain])).code).toBe(0);
  expect(readFileSync(plain, 'utf8')).not.toContain('Largest kernel entry per run');
}, 120_000);

test("a family's own rule and unknown names are refused by the field that set them", async () => {
  const file = experiment('bad', {
    sweep: { 'model.depth': [1, 3], 'model.family': ['linear', 'nonesuch'] },
  });
  const err = await loadExperiment(file).catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  const message = (err as Error).message;
  expect(message).toMatch(/sweep\["model\.depth"\]\[1\]: a linear model has depth 1/);
  expect(message).toMatch(
    /sweep\["model\.family"\]\[1\]: unknown model family "nonesuch" \(registered: cifar, mlp, vgg, resnet, linear\)/,
  );
  const noData = experiment('no-data', { sweep: { 'data.name': ['half-plane', 'imagenet-22k'] } });
  await expect(loadExperiment(noData)).rejects.toThrow(
    /sweep\["data\.name"\]\[1\]: unknown dataset "imagenet-22k"/,
  );
});
