// Figures over an incomplete grid: a block present in one setting only (basic with batch norm, rezero
// without), the no-norm runs shorter. Each panel must hold exactly the nets its headers name, and a
// short setting's panels end where its runs end.
import { errorVsDepth } from '../../src/report/figures/error-vs-depth.js';
import { gradNormProfile } from '../../src/report/figures/grad-norm-profile.js';
import { layerResponses } from '../../src/report/figures/layer-responses.js';
import { trainingCurves } from '../../src/report/figures/training-curves.js';
import { loadResults } from '../../src/report/load.js';
import type { ReportData } from '../../src/report/rows.js';
import { facetCells } from './facet-cells.js';
import { removeTempDirs, tempDir, writeFakeRun } from './fake-results.js';

afterAll(removeTempDirs);

let data: ReportData;

beforeAll(async () => {
  const root = await tempDir('grid');
  const experiment = 'grid';
  for (const depth of [8, 14])
    for (const seed of [0, 1]) {
      await writeFakeRun(root, { experiment, residual: false, depth, seed });
      await writeFakeRun(root, { experiment, residual: true, depth, seed });
    }
  for (const seed of [0, 1]) {
    const short = { experiment, depth: 14, seed, norm: 'none', activation: 'sigmoid', steps: 100 } as const;
    await writeFakeRun(root, { ...short, residual: false });
    await writeFakeRun(root, { ...short, residual: true, block: 'rezero' });
  }
  data = await loadResults([`${root}/${experiment}`]);
});

const BATCH = 'norm=batch · relu';
const NONE = 'norm=none · sigmoid';

/** Per panel (row header, column header), the nets its items draw. */
async function netsByPanel(spec: Parameters<typeof facetCells>[0]) {
  const cells = await facetCells(spec);
  return new Map(
    cells.map((c) => [`${c.row} | ${c.column}`, [...new Set(c.datums.map((d) => String(d.arch)))].sort()]),
  );
}

test('the report names three architectures over two settings, one block missing from each', () => {
  expect(new Set(data.runs.map((r) => r.arch))).toEqual(new Set(['plain', 'basic', 'rezero']));
});

test('training curves: a panel per architecture and setting holds only that net, empty where the grid has none', async () => {
  const panels = await netsByPanel(trainingCurves(data));
  expect(Object.fromEntries(panels)).toEqual({
    [`${BATCH} | plain`]: ['plain'],
    [`${BATCH} | basic`]: ['basic'],
    [`${BATCH} | rezero`]: [],
    [`${NONE} | plain`]: ['plain'],
    [`${NONE} | basic`]: [],
    [`${NONE} | rezero`]: ['rezero'],
  });
});

test.each([
  ['error vs depth', errorVsDepth],
  ['layer responses', layerResponses],
])("%s: each setting's row of panels holds that setting's nets only", async (_, figure) => {
  const cells = await facetCells(figure(data));
  const netsIn = (row: string) =>
    [
      ...new Set(cells.filter((c) => c.row === row).flatMap((c) => c.datums.map((d) => String(d.arch)))),
    ].sort();
  expect(netsIn(BATCH)).toEqual(['basic', 'plain']);
  expect(netsIn(NONE)).toEqual(['plain', 'rezero']);
  expect(cells.every((c) => c.datums.length > 0)).toBe(true);
});

test('gradient-norm profile: a column per architecture in legend order, each holding only its nets', async () => {
  const cells = await facetCells(gradNormProfile(data));
  const columns = [...new Set(cells.map((c) => c.column))];
  expect(columns).toEqual(['plain', 'basic', 'rezero']);
  for (const cell of cells) for (const d of cell.datums) expect(d.arch).toBe(cell.column);
});

test('training curves: the short setting has its own x scale, ending at its last step', async () => {
  const spec = trainingCurves(data) as unknown as { resolve?: { scale?: { x?: string } } };
  expect(spec.resolve?.scale?.x).toBe('independent');
  const cells = await facetCells(trainingCurves(data));
  const lastStep = (row: string) =>
    Math.max(...cells.filter((c) => c.row === row).flatMap((c) => c.datums.map((d) => Number(d.step))));
  expect(lastStep(NONE)).toBe(100);
  expect(lastStep(BATCH)).toBe(400);
});
