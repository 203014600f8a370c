import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { settingLabeller } from '../../src/report/aggregate.js';
import { loadResults } from '../../src/report/load.js';
import { layerNames, removeTempDirs, tempDir, writeFakeRun, writeStandardFixture } from './fake-results.js';

afterAll(removeTempDirs);

let root: string;
let fixture: string;

beforeAll(async () => {
  root = await tempDir('load');
  fixture = await writeStandardFixture(root);
});

test('reads every run with a manifest and joins its facets onto each row', async () => {
  const data = await loadResults([fixture]);
  // 3 depths x 2 seeds x plain/residual x 2 norms + 2 extra runs; half-written has no manifest.
  expect(data.runs).toHaveLength(26);
  const run = data.runs.find((r) => r.run === 'cifar-basic-none-d14-s1')!;
  expect(run).toMatchObject({
    experiment: 'fixture',
    family: 'cifar',
    block: 'basic',
    residual: true,
    norm: 'none',
    depth: 14,
    seed: 1,
  });
  const layerRow = data.layers.find(
    (l) => l.run === run.run && l.stat === 'grad_norm' && l.step === 100 && l.depth_index === 13,
  )!;
  expect(layerRow).toMatchObject({
    layer: 'head.dense',
    kind: 'dense',
    residual: true,
    norm: 'none',
    depth: 14,
    seed: 1,
  });
  expect(typeof layerRow.value).toBe('number');
  const metricRow = data.metrics.find(
    (m) => m.run === run.run && m.split === 'test' && m.metric === 'error' && m.step === 400,
  )!;
  expect(metricRow).toMatchObject({ epoch: 4, experiment: 'fixture', depth: 14 });
  // 400 steps / 20 = 20 logging steps x 4 train metrics + 4 evals x 2 test metrics.
  expect(data.metrics.filter((m) => m.run === run.run)).toHaveLength(20 * 4 + 4 * 2);
  // 5 probes (step 0..400 every 100) x 14 layers x 8 stats.
  expect(data.layers.filter((l) => l.run === run.run)).toHaveLength(5 * layerNames(14).length * 8);
});

test('skips a run directory without manifest.json with a note', async () => {
  const data = await loadResults([fixture]);
  expect(data.runs.some((r) => r.dir.endsWith('half-written'))).toBe(false);
  expect(data.notes.some((n) => n.includes('half-written') && n.includes('no manifest.json'))).toBe(true);
});

test('drops a torn last CSV line and says so, keeping the complete rows', async () => {
  const data = await loadResults([fixture]);
  const diverged = data.runs.find((r) => r.manifest.status === 'diverged')!;
  const text = await readFile(join(diverged.dir, 'metrics.csv'), 'utf8');
  const completeRows = text.split('\n').length - 2; // header + torn tail
  expect(data.metrics.filter((m) => m.run === diverged.run)).toHaveLength(completeRows);
  expect(data.notes.some((n) => n.includes(diverged.run) && n.includes('torn'))).toBe(true);
});

test("keeps the requested layer stats at every probe, the others at each run's last probe only", async () => {
  const data = await loadResults([fixture], { stats: ['grad_norm'] });
  const all = await loadResults([fixture]);
  const rowsOf = (d: typeof data, stat: string) => d.layers.filter((l) => l.stat === stat);
  expect(rowsOf(data, 'grad_norm')).toEqual(rowsOf(all, 'grad_norm'));
  let runsWithSeveralSteps = 0;
  for (const run of all.runs) {
    const every = rowsOf(all, 'weight_norm').filter((l) => l.run === run.run);
    const steps = new Set(every.map((l) => l.step));
    if (steps.size > 1) runsWithSeveralSteps++;
    const last = Math.max(...steps);
    expect(rowsOf(data, 'weight_norm').filter((l) => l.run === run.run)).toEqual(
      every.filter((l) => l.step === last),
    );
  }
  expect(runsWithSeveralSteps).toBeGreaterThan(1);
});

test('accepts a results root, an experiment and a single run directory', async () => {
  const single = join(fixture, 'cifar-plain-batch-d8-s0');
  expect((await loadResults([single])).runs.map((r) => r.run)).toEqual(['cifar-plain-batch-d8-s0']);
  expect((await loadResults([root])).runs).toHaveLength(26);
});

test('keeps same-named runs of two experiments apart', async () => {
  const other = await tempDir('load2');
  await writeFakeRun(other, { experiment: 'a', id: 'run-x', residual: false, depth: 8, seed: 0 });
  await writeFakeRun(other, { experiment: 'b', id: 'run-x', residual: true, depth: 8, seed: 0 });
  const data = await loadResults([join(other, 'a'), join(other, 'b')]);
  expect(data.runs.map((r) => r.run).sort()).toEqual(['b/run-x', 'run-x']);
  expect(new Set(data.metrics.map((m) => m.run))).toEqual(new Set(['run-x', 'b/run-x']));
});

test('a broken manifest is skipped with a note; a missing column names the file', async () => {
  const other = await tempDir('load3');
  const good = await writeFakeRun(other, { experiment: 'e', residual: false, depth: 8, seed: 0 });
  const bad = await writeFakeRun(other, { experiment: 'e', residual: true, depth: 8, seed: 0 });
  await writeFile(join(bad, 'manifest.json'), '{"id": "trunc');
  const data = await loadResults([join(other, 'e')]);
  expect(data.runs.map((r) => r.dir)).toEqual([good]);
  expect(data.notes.some((n) => n.includes(bad) && n.includes('not readable JSON'))).toBe(true);

  await writeFile(join(good, 'metrics.csv'), 'step,epoch,split,value\n1,0,train,0.5\n');
  await expect(loadResults([good])).rejects.toThrow(/metrics\.csv: missing column "metric"/);
});

test('a missing directory is an error naming it', async () => {
  await expect(loadResults([join(root, 'nope')])).rejects.toThrow(/results directory not found: .*nope/);
});

test('a CSV with quoted cells is read by fast-csv, commas inside quotes kept', async () => {
  const other = await tempDir('load4');
  const dir = await writeFakeRun(other, { experiment: 'q', residual: false, depth: 8, seed: 0 });
  await writeFile(
    join(dir, 'layers.csv'),
    'step,layer,depth_index,kind,stat,value\n0,"odd,name",0,conv,grad_norm,0.5\n0,fc,1,dense,grad_norm,1e-3\n',
  );
  const data = await loadResults([dir]);
  expect(data.layers.map((l) => [l.layer, l.depth_index, l.value])).toEqual([
    ['odd,name', 0, 0.5],
    ['fc', 1, 0.001],
  ]);
});

test('runs that differ in activation get it in their variant, and figures label the setting with it', async () => {
  const other = await tempDir('load5');
  await writeFakeRun(other, { experiment: 'act', residual: false, depth: 8, seed: 0 });
  await writeFakeRun(other, {
    experiment: 'act',
    id: 'sig',
    residual: false,
    depth: 8,
    seed: 0,
    activation: 'sigmoid',
  });
  const data = await loadResults([join(other, 'act')]);
  expect(data.runs.map((r) => r.variant).sort()).toEqual(['relu', 'sigmoid']);
  const label = settingLabeller(data.runs);
  expect(data.runs.map(label).sort()).toEqual(['relu', 'sigmoid']);
  expect(settingLabeller(data.runs.slice(0, 1))(data.runs[0])).toBe('');
});
