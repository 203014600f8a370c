// Issue 10's report part: the transfer figures and the fine-tuning finding, on a fake transfer
// experiment (plain and residual backbones x linear / finetune-last / finetune x 10 and 100 labels).
import { figuresFor } from '../../src/report/figures/index.js';
import { transferFirstStepGrads } from '../../src/report/figures/transfer-first-step-grads.js';
import { transferLabelBudget } from '../../src/report/figures/transfer-label-budget.js';
import { transferWeightDrift } from '../../src/report/figures/transfer-weight-drift.js';
import { transferTable, transferTableRows } from '../../src/report/figures/transfer-table.js';
import { computeFindings } from '../../src/report/findings/index.js';
import { transferRuns } from '../../src/report/transfer-runs.js';
import { loadResults } from '../../src/report/load.js';
import { renderSvg } from '../../src/report/render.js';
import type { ReportData } from '../../src/report/rows.js';
import { removeTempDirs, tempDir, writeStandardFixture, writeTransferFixture } from './fake-results.js';
import { expectLinesWithBands, markItems, svgTexts } from './svg-marks.js';

afterAll(removeTempDirs);

let data: ReportData;

beforeAll(async () => {
  const root = await tempDir('transfer');
  data = await loadResults([await writeTransferFixture(root)]);
});

const valuesOf = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

test('transfer figures appear only when the report has transfer runs', async () => {
  expect(figuresFor(data).map((f) => f.id)).toEqual(
    expect.arrayContaining([
      'transfer-label-budget',
      'transfer-table',
      'transfer-weight-drift',
      'transfer-first-step-grads',
    ]),
  );
  const root = await tempDir('transfer-none');
  const scratch = await loadResults([await writeStandardFixture(root)]);
  expect(figuresFor(scratch).some((f) => f.id.startsWith('transfer-'))).toBe(false);
});

test('error vs labels per class: a line per backbone x mode over two budgets, with seed bands', async () => {
  const values = valuesOf(transferLabelBudget(data));
  expect(new Set(values.map((v) => v.line)).size).toBe(6);
  const point = values.find(
    (v) => v.backbone === 'residual-14' && v.mode === 'finetune' && v.labels === 100,
  )!;
  // 0.5 - 0.08 - 2 x 0.06 - 0.15 = 15%, + 0.5 points for seed 1.
  expect(point.mean as number).toBeCloseTo(0.1525, 2);
  expect(point.seeds).toBe(2);
  const svg = await renderSvg(transferLabelBudget(data));
  expectLinesWithBands(svg, 6, [
    'labels per class (target)',
    'target test error',
    'backbone',
    'plain-14',
    'adaptation',
    'linear',
  ]);
});

test('error table: a row per backbone x mode, a column per budget, mean and seed range', async () => {
  const { budgets, seeds, rows } = transferTableRows(data);
  expect(budgets).toEqual([10, 100]);
  expect(seeds).toBe(2);
  expect(rows.map((r) => `${r.backbone} ${r.mode}`)).toEqual([
    'plain-14 finetune',
    'plain-14 finetune-last-1',
    'plain-14 linear',
    'residual-14 finetune',
    'residual-14 finetune-last-1',
    'residual-14 linear',
  ]);
  // Each cell is the mean and range of that group's final test errors, in percent.
  const expected = (backbone: string, mode: string, labels: number) => {
    const errors = transferRuns(data)
      .filter((t) => t.backbone === backbone && t.mode === mode && t.labels === labels)
      .map((t) => t.testError * 100);
    const mean = errors.reduce((a, b) => a + b) / errors.length;
    return `${mean.toFixed(1)}% (${Math.min(...errors).toFixed(1)}–${Math.max(...errors).toFixed(1)})`;
  };
  expect(rows[3]['100/class']).toBe(expected('residual-14', 'finetune', 100));
  expect(rows[5]['10/class']).toBe(expected('residual-14', 'linear', 10));
  // and the fixture's ordering shows: fine-tuning the residual net at 100 labels beats its linear probe at 10
  expect(parseFloat(rows[3]['100/class'])).toBeLessThan(parseFloat(rows[5]['10/class']));
  const svg = await renderSvg(transferTable(data));
  expect(markItems(svg, 'text')).toBe(6 * 4);
  expect(svgTexts(svg)).toEqual(expect.arrayContaining([rows[0]['10/class'], 'adaptation', '10/class']));
});

test('weight change: the pretrained body only (not the new head); a linear probe leaves it at 0', async () => {
  const values = valuesOf(transferWeightDrift(data));
  const linear = values.filter((v) => v.mode === 'linear' && v.backbone === 'plain-14');
  expect(linear).toHaveLength(13);
  expect(linear.some((v) => String(v.layer).startsWith('head.'))).toBe(false);
  expect(linear.every((v) => v.drift === 0)).toBe(true);
  const full = values.filter((v) => v.mode === 'finetune' && v.backbone === 'plain-14');
  expect(full.every((v) => (v.drift as number) > 0)).toBe(true);
  expect(new Set(values.map((v) => v.labels))).toEqual(new Set([100])); // the largest budget
  const svg = await renderSvg(transferWeightDrift(data));
  expect(markItems(svg, 'line')).toBe(6); // 3 modes x 2 backbones
  expect(svgTexts(svg)).toEqual(
    expect.arrayContaining(['relative weight change', 'linear', 'finetune', 'finetune-last-1']),
  );
});

test('first-step gradients: only trainable layers, at the first probe', async () => {
  const values = valuesOf(transferFirstStepGrads(data));
  const layers = (mode: string) =>
    values.filter((v) => v.mode === mode && v.backbone === 'residual-14').length;
  expect(layers('linear')).toBe(1);
  expect(layers('finetune')).toBe(14);
  expect(layers('finetune-last-1')).toBeGreaterThan(1);
  expect(layers('finetune-last-1')).toBeLessThan(14);
  const svg = await renderSvg(transferFirstStepGrads(data));
  expect(svgTexts(svg)).toEqual(expect.arrayContaining(['grad norm', 'depth index (from input)']));
});

test('findings: fine-tuning beats the linear probe, with the gap in points', () => {
  const findings = computeFindings(data).filter((f) => f.id === 'transfer-finetune');
  expect(findings.map((f) => f.setting).sort()).toEqual(['plain-14', 'residual-14']);
  for (const f of findings) {
    expect(f.verdict).toBe('reproduced');
    // linear 0.5 - 0.15 vs finetune 0.5 - 0.12 - 0.15 at 100 labels: 12.0 points.
    expect(f.text).toMatch(
      /at 100 labels\/class: full fine-tuning ends at .* vs .* for the linear probe, a gap of 12\.0 points/,
    );
  }
  // Depth findings are about runs trained from scratch: none here.
  expect(computeFindings(data).some((f) => f.id === 'degradation')).toBe(false);
});

describe('baselines: runs from scratch and a VGG backbone', () => {
  let withBaselines: ReportData;
  beforeAll(async () => {
    const root = await tempDir('transfer-baselines');
    withBaselines = await loadResults([await writeTransferFixture(root, true)]);
  });

  it('judges pretraining against training from scratch at the smallest budget, per backbone', () => {
    const findings = computeFindings(withBaselines).filter((f) => f.id === 'transfer-scratch');
    expect(findings.map((f) => [f.setting, f.verdict]).sort()).toEqual([
      ['plain-14', 'reproduced'],
      ['residual-14', 'reproduced'],
      ['vgg-11', 'reproduced'],
    ]);
    expect(findings.find((f) => f.setting === 'vgg-11')!.text).toMatch(
      /^vgg-11 at 10 labels\/class: fine-tuned from the source run 47\.\d% .* from scratch 55\.\d%/,
    );
  });

  it("tests the two practitioners' claims about VGG: frozen features as a baseline, overfitting when fine-tuned", () => {
    const findings = computeFindings(withBaselines);
    const frozen = findings.filter((f) => f.id === 'transfer-frozen-vgg');
    expect(frozen.map((f) => [f.setting, f.verdict])).toEqual([['vgg-11', 'reproduced']]);
    const overfit = findings.filter((f) => f.id === 'transfer-overfit');
    expect(overfit.map((f) => [f.setting, f.verdict])).toEqual([['residual-14 vs vgg-11', 'reproduced']]);
    // test minus train error: 3 points for the ResNet, 20 for the VGG (whose fine-tuned test error is 47%)
    expect(overfit[0].text).toMatch(/3\.0 points .* for residual-14 vs 20\.0 points .* for vgg-11/);
  });

  it('shows scratch as its own line and leaves it out of the weight-change figure', () => {
    const lines = new Set(valuesOf(transferLabelBudget(withBaselines)).map((v) => v.line));
    expect([...lines].filter((l) => String(l).endsWith('scratch')).sort()).toEqual([
      'plain-14 · scratch',
      'residual-14 · scratch',
      'vgg-11 · scratch',
    ]);
    const drift = valuesOf(transferWeightDrift(withBaselines));
    expect(drift.some((v) => v.mode === 'scratch')).toBe(false);
    expect(drift.some((v) => v.mode === 'finetune')).toBe(true);
  });
});
