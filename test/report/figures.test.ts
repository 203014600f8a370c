import { compile } from 'vega-lite';
import { groupBy } from '../../src/report/aggregate.js';
import { FIGURES, figuresFor } from '../../src/report/figures/index.js';
import { errorVsDepth } from '../../src/report/figures/error-vs-depth.js';
import { gradFlowHeatmap } from '../../src/report/figures/grad-flow-heatmap.js';
import { gradNormProfile, profileSteps } from '../../src/report/figures/grad-norm-profile.js';
import { health } from '../../src/report/figures/health.js';
import { BY_MAGNITUDE, layerResponses } from '../../src/report/figures/layer-responses.js';
import { runTable, RUN_TABLE_COLUMNS } from '../../src/report/figures/run-table.js';
import { trainingCurves } from '../../src/report/figures/training-curves.js';
import { evenlySpaced, updateRatio } from '../../src/report/figures/update-ratio.js';
import { loadResults } from '../../src/report/load.js';
import { renderSvg } from '../../src/report/render.js';
import type { ReportData } from '../../src/report/rows.js';
import { removeTempDirs, tempDir, writeStandardFixture } from './fake-results.js';
import { expectLinesWithBands, markItems, svgTexts } from './svg-marks.js';

afterAll(removeTempDirs);

let data: ReportData;
const svgs = new Map<string, string>();

beforeAll(async () => {
  const root = await tempDir('fig');
  data = await loadResults([await writeStandardFixture(root)]);
  for (const figure of FIGURES) svgs.set(figure.id, await renderSvg(figure.build(data)));
});

const dataValues = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

test('the eight figures of the issue show (no transfer runs), every figure compiles without warnings', () => {
  expect(figuresFor(data).map((f) => f.id)).toEqual([
    'training-curves',
    'error-vs-depth',
    'layer-responses',
    'grad-norm-profile',
    'grad-flow-heatmap',
    'update-ratio',
    'health',
    'other-stats',
    'run-table',
  ]);
  for (const figure of FIGURES) {
    const warnings: string[] = [];
    const logger = {
      level: () => logger,
      error: (...m: unknown[]) => (warnings.push(`error ${m.join(' ')}`), logger),
      warn: (...m: unknown[]) => (warnings.push(`warn ${m.join(' ')}`), logger),
      info: () => logger,
      debug: () => logger,
    };
    compile(figure.build(data), { logger: logger as never });
    expect({ id: figure.id, warnings }).toEqual({ id: figure.id, warnings: [] });
  }
});

test('training curves: a thin and a bold line per depth and split, with bands', () => {
  const svg = svgs.get('training-curves')!;
  const values = dataValues(trainingCurves(data));
  // 2 norms x 2 archs x 3 depths x 2 splits curves.
  const curves = new Set(values.map((v) => `${v.setting}|${v.arch}|${v.depth}|${v.split}`));
  expect(curves.size).toBe(24);
  expectLinesWithBands(svg, 24, [
    'iteration',
    'error',
    'plain',
    'residual',
    'norm=batch',
    'norm=none',
    'depth',
    '8',
    '20',
    'split',
    'train',
  ]);
  // Bands bracket the mean.
  for (const v of values)
    expect((v.min as number) <= (v.mean as number) && (v.mean as number) <= (v.max as number)).toBe(true);
});

test('error vs depth: one point per run and split, mean lines for plain and residual', () => {
  const svg = svgs.get('error-vs-depth')!;
  expect(markItems(svg, 'symbol')).toBe(data.runs.length * 2);
  expect(markItems(svg, 'line')).toBe(2 * 2 * 2); // arch x split x norm
  expect(svgTexts(svg)).toEqual(
    expect.arrayContaining([
      'depth (weighted layers)',
      'final error',
      'training error',
      'test error',
      'net',
      'plain',
      'residual',
    ]),
  );
  const diverged = dataValues(errorVsDepth(data)).find(
    (v) => v.status === 'diverged' && v.split === 'training error',
  )!;
  expect(diverged.error).toBeCloseTo(0.9); // last logged training error before it stopped
});

test('layer responses: by index and sorted, the sorted view descending', () => {
  const svg = svgs.get('layer-responses')!;
  expect(markItems(svg, 'line')).toBeGreaterThan(0);
  expect(svgTexts(svg)).toEqual(
    expect.arrayContaining(['response std', 'by layer index', 'sorted by magnitude']),
  );
  const sorted = dataValues(layerResponses(data)).filter(
    (v) => v.view === BY_MAGNITUDE && v.net === 'plain-20' && v.setting === 'norm=batch',
  );
  sorted.sort((a, b) => (a.x as number) - (b.x as number));
  expect(sorted.length).toBe(19); // the 19 conv layers of a depth-20 net (fc is dense)
  for (let i = 1; i < sorted.length; i++)
    expect(sorted[i - 1].std as number).toBeGreaterThanOrEqual(sorted[i].std as number);
});

test('gradient-norm profile: init, middle and last probe step on a log axis', () => {
  expect(profileSteps([0, 100, 200, 300, 400, 100])).toEqual([0, 200, 400]);
  const svg = svgs.get('grad-norm-profile')!;
  expect(svgTexts(svg)).toEqual(
    expect.arrayContaining(['grad norm', 'depth index (from input)', 'step 0 (init)', 'step 400']),
  );
  // 3 steps x 2 archs x 3 depths x 2 settings.
  expect(markItems(svg, 'line')).toBe(36);
  const custom = dataValues(gradNormProfile(data, [100]));
  expect(new Set(custom.map((v) => v.step))).toEqual(new Set(['step 100']));
});

test('gradient-flow heatmap: one rect per probe step and layer, panels ordered by depth', () => {
  const svg = svgs.get('grad-flow-heatmap')!;
  const expected = data.layers.filter((l) => l.stat === 'grad_norm' && l.value > 0).length;
  expect(markItems(svg, 'rect')).toBe(expected);
  expect(svgTexts(svg)).toEqual(expect.arrayContaining(['log10 grad norm', 'depth index', 'step']));
  const titles = svgTexts(svg).filter((t) => t.startsWith('cifar-plain-batch-'));
  expect(titles.slice(0, 3)).toEqual([
    'cifar-plain-batch-d8-s0',
    'cifar-plain-batch-d8-s1',
    'cifar-plain-batch-d14-s0',
  ]);
});

test('gradient-flow heatmap thins a large sweep to its cell budget and says so', () => {
  const deep = {
    ...data,
    runs: data.runs.filter((r) => r.depth === 20),
    layers: data.layers.filter((l) => l.depth === 20),
  };
  const full = deep.layers.filter((l) => l.stat === 'grad_norm').length;
  const spec = gradFlowHeatmap(deep, 8) as {
    data: { values: { run: string }[] };
    title: { subtitle: string[] };
  };
  // At least 64 cells a run are kept; each depth-20 run has 5 probes x 20 layers = 100.
  for (const cells of groupBy(spec.data.values, (v) => v.run).values())
    expect(cells.length).toBeLessThanOrEqual(64);
  expect(spec.data.values.length).toBeLessThan(full / 2);
  expect(spec.title.subtitle.join(' ')).toMatch(
    /thinned for size: cells merged into blocks of up to 2 probe steps x 2 layers/,
  );
  const unthinned = gradFlowHeatmap(deep) as { title: { subtitle: string[] } };
  expect(unthinned.title.subtitle.join(' ')).not.toMatch(/thinned/);
});

test('update ratio: lines per layer, the 1e-3 rule and its band', () => {
  expect(evenlySpaced([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 3, 6, 9]);
  const svg = svgs.get('update-ratio')!;
  const panels = new Set(dataValues(updateRatio(data)).map((v) => v.panel));
  expect(panels.size).toBe(12);
  expect(markItems(svg, 'rule')).toBe(12);
  expect(markItems(svg, 'rect')).toBe(12);
  expect(markItems(svg, 'line')).toBeGreaterThan(12 * 5);
  expect(svgTexts(svg)).toEqual(expect.arrayContaining(['update / weight norm', 'depth index']));
});

test('health: every warning and the divergence as a point with its run', () => {
  const values = dataValues(health(data));
  expect(values.map((v) => `${v.run}:${v.kind}:${v.step}`).sort()).toEqual([
    'cifar-plain-batch-d14-s2:dead_relu:300',
    'cifar-plain-none-d20-s2:diverged:240',
    'cifar-plain-none-d20-s2:exploding:200',
    'cifar-plain-none-d20-s2:vanishing:0',
  ]);
  expect(markItems(svgs.get('health')!, 'symbol')).toBe(4);
  // Each marker is labelled with its layer (the diverged event has none).
  expect(svgTexts(svgs.get('health')!)).toEqual(
    expect.arrayContaining(['stem.conv', 'head.dense', 'stage1.block2.conv1']),
  );
});

test('health with no warnings says so instead of drawing empty axes', async () => {
  const quiet = {
    ...data,
    runs: data.runs.filter((r) => r.manifest.warnings.length === 0 && r.manifest.status === 'completed'),
  };
  const svg = await renderSvg(health(quiet));
  expect(svgTexts(svg).join(' ')).toContain(
    `No health warnings, divergences or failures in ${quiet.runs.length} run(s).`,
  );
});

test('run table: a row per run with the diverged step flagged', () => {
  const svg = svgs.get('run-table')!;
  expect(markItems(svg, 'text')).toBe(data.runs.length * RUN_TABLE_COLUMNS.length);
  const texts = svgTexts(svg);
  expect(texts).toEqual(
    expect.arrayContaining(['diverged at step 240', '80,000', 'wasm 4.22.0 x2', 'final train err']),
  );
  expect(dataValues(runTable(data))).toHaveLength(data.runs.length);
});

test('a report without layer probes still renders every figure', async () => {
  const noLayers = { ...data, layers: [] };
  for (const figure of FIGURES) {
    const svg = await renderSvg(figure.build(noLayers));
    expect(svg.startsWith('<svg')).toBe(true);
  }
  expect(svgTexts(await renderSvg(gradFlowHeatmap(noLayers))).join(' ')).toContain('No positive grad_norm');
});
