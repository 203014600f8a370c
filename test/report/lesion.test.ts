// The lesion figure and finding, from lesion.csv rows beside fake runs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeFindings } from '../../src/report/findings/index.js';
import { lesionFigure } from '../../src/report/figures/lesion.js';
import { loadResults } from '../../src/report/load.js';
import { LESION_COLUMNS } from '../../src/store/types.js';
import { removeTempDirs, tempDir, writeFakeRun } from './fake-results.js';

afterAll(removeTempDirs);

/** A run with lesion rows: intact error, one error per deletable block, a down-sampling block, k = 1..2. */
async function lesionRun(
  root: string,
  residual: boolean,
  seed: number,
  intact: number,
  single: number[],
  norm: 'batch' | 'none' = 'batch',
): Promise<void> {
  const dir = await writeFakeRun(root, { experiment: 'lesion', residual, depth: 20, seed, norm });
  const rows = [
    ['intact', 0, 0, '', '', intact, 'ok'],
    ['chance', 0, 0, '', '', 0.9, 'ok'],
    ...single.map((e, i) => ['single', 1, 0, `stage1.block${i + 2}`, 2 * i + 4, e, 'ok']),
    ['single', 1, 0, 'stage2.block1', 8, '', 'not removable: down-sampling block'],
    ['random', 1, 0, 'stage1.block2', '', single[0], 'ok'],
    ['random', 2, 0, 'stage1.block2+stage1.block3', '', Math.min(0.9, single[0] + 0.1), 'ok'],
  ];
  await writeFile(
    join(dir, 'lesion.csv'),
    [LESION_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n',
  );
}

async function findingFor(plainSingle: number[][], resSingle: number[][]) {
  const root = await tempDir('lesion');
  for (const [seed, s] of plainSingle.entries()) await lesionRun(root, false, seed, 0.1, s);
  for (const [seed, s] of resSingle.entries()) await lesionRun(root, true, seed, 0.08, s);
  const data = await loadResults([join(root, 'lesion')]);
  return { data, finding: computeFindings(data).find((f) => f.id === 'lesion')! };
}

test('residual robust, plain near chance, seed ranges apart: reproduced, with the numbers', async () => {
  const { data, finding } = await findingFor(
    [
      [0.85, 0.88],
      [0.86, 0.87],
    ],
    [
      [0.1, 0.12],
      [0.11, 0.09],
    ],
  );
  expect(data.lesions.filter((p) => p.mode === 'single')).toHaveLength(12);
  expect(finding.verdict).toBe('reproduced');
  // residual: mean single 0.11 and 0.10 against intact 0.08: 3.0 and 2.0 points.
  expect(finding.text).toMatch(
    /^deleting one non-down-sampling block of residual-20 costs 2\.5 \(range 2\.0–3\.0, 2 seeds\) points .* plain-20 goes to 86\.5% \(range 86\.5%–86\.5%, 2 seeds\) \(chance 90\.0%/,
  );
  const spec = lesionFigure(data) as unknown as {
    hconcat: { layer: { data: { values: { x: number }[] } }[] }[];
  };
  // One point per deletable block and net (down-sampling blocks are left out), two k values.
  expect(spec.hconcat[0].layer[0].data.values).toHaveLength(4);
  expect(spec.hconcat[1].layer[0].data.values.map((v) => v.x).sort()).toEqual([1, 1, 2, 2]);
});

test('a plain net that survives deletions too: not reproduced; one seed a side: not established', async () => {
  const survives = await findingFor(
    [
      [0.2, 0.25],
      [0.22, 0.24],
    ],
    [
      [0.1, 0.12],
      [0.11, 0.09],
    ],
  );
  expect(survives.finding.verdict).toBe('not reproduced');
  const single = await findingFor([[0.85, 0.88]], [[0.1, 0.12]]);
  expect(single.finding.verdict).toBe('not established');
});

test('a net of another setting at the same depth is not pooled as one more seed', async () => {
  const root = await tempDir('lesion');
  for (const seed of [0, 1]) {
    await lesionRun(root, false, seed, 0.1, [0.85 + seed / 100, 0.88]);
    await lesionRun(root, true, seed, 0.08, [0.1, 0.12]);
  }
  // A plain net without normalisation that survives deletions: pooled, it would spread plain's range.
  await lesionRun(root, false, 0, 0.5, [0.2, 0.25], 'none');
  const data = await loadResults([join(root, 'lesion')]);
  const finding = computeFindings(data).find((f) => f.id === 'lesion')!;
  expect(finding.verdict).toBe('reproduced');
  expect(finding.text).toMatch(
    /^\[norm=batch\] deleting one .* plain-20 goes to 86\.8% \(range 86\.5%–87\.0%, 2 seeds\)/,
  );
  expect(finding.text).not.toMatch(/norm=none/);
});
