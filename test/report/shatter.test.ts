// The shattered-gradients figure and finding, from shatter.csv rows beside fake runs: each row
// carries the measured net's own normalisation, so one run gives a finding per normalisation.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeFindings } from '../../src/report/findings/index.js';
import { shatterFigure } from '../../src/report/figures/shatter.js';
import { loadResults } from '../../src/report/load.js';
import { SHATTER_COLUMNS } from '../../src/store/types.js';
import { removeTempDirs, tempDir, writeFakeRun } from './fake-results.js';

afterAll(removeTempDirs);

/** Lag-1 correlation `c` with batch norm and `c + 0.3` (at most 1) without, decaying with the lag. */
async function shatterRun(root: string, residual: boolean, depth: number, seed: number, c: number) {
  const dir = await writeFakeRun(root, { experiment: 'shatter', residual, depth, seed });
  const rows: (string | number)[][] = [];
  for (const [norm, lag1] of [
    ['batch', c],
    ['none', Math.min(1, c + 0.3)],
  ] as const) {
    for (let p = 0; p < 8; p++) rows.push([norm, 'gradient', p / 7, Math.sin(p * (1 + depth)), 'ok']);
    for (let k = 1; k <= 4; k++) rows.push([norm, 'autocorrelation', k, lag1 ** k, 'ok']);
  }
  await writeFile(
    join(dir, 'shatter.csv'),
    [SHATTER_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n',
  );
}

test('plain decorrelating with depth, residual not: a verdict per normalisation, and the three panels', async () => {
  const root = await tempDir('shatter');
  for (const seed of [0, 1]) {
    await shatterRun(root, false, 20, seed, 0.5 + 0.02 * seed);
    await shatterRun(root, false, 32, seed, 0.08 + 0.02 * seed);
    await shatterRun(root, true, 20, seed, 0.9 + 0.02 * seed);
    await shatterRun(root, true, 32, seed, 0.85 + 0.02 * seed);
  }
  const data = await loadResults([join(root, 'shatter')]);
  expect(data.shatter).toHaveLength(8 * 2 * 12);
  expect(new Set(data.shatter.map((p) => p.norm))).toEqual(new Set(['batch', 'none']));
  const found = computeFindings(data).filter((f) => f.id === 'shatter');
  expect(found.map((f) => [f.setting, f.verdict])).toEqual([
    ['norm=batch', 'reproduced'],
    ['norm=none', 'reproduced'],
  ]);
  expect(found[0].text).toContain('plain-20 0.510 (range 0.500–0.520, 2 seeds) → plain-32 0.090');

  const spec = shatterFigure(data) as unknown as {
    vconcat: { data: { values: Record<string, unknown>[] } }[];
  };
  const [line, lags, depth] = spec.vconcat.map((panel) => panel.data.values);
  // Lowest seed only, one line per net and normalisation, scaled to unit RMS.
  expect(line).toHaveLength(4 * 2 * 8);
  // Seed means per net, normalisation and lag.
  expect(lags).toHaveLength(4 * 2 * 4);
  expect(depth.filter((r) => r.position === 1)).toHaveLength(8);
  const plain32 = depth.find((r) => r.net === 'plain-32' && r.setting === 'norm=batch')!;
  expect([plain32.mean, plain32.min, plain32.max, plain32.seeds]).toEqual([0.09, 0.08, 0.1, 2]);
});

test('the unnormalised counterpart of a relu net and a sigmoid net without norm are different settings', async () => {
  const root = await tempDir('shatter-settings');
  for (const seed of [0, 1]) {
    await shatterRun(root, false, 20, seed, 0.5);
    await shatterRun(root, true, 20, seed, 0.9);
    await shatterRun(root, false, 32, seed, 0.1);
    await shatterRun(root, true, 32, seed, 0.85);
  }
  // A sigmoid plain net without norm at one depth: no trend of its own, and kept out of the others'.
  const dir = await writeFakeRun(root, {
    experiment: 'shatter',
    residual: false,
    depth: 20,
    seed: 0,
    norm: 'none',
    activation: 'sigmoid',
  });
  await writeFile(
    join(dir, 'shatter.csv'),
    [SHATTER_COLUMNS.join(','), 'none,autocorrelation,1,0.01,ok'].join('\n') + '\n',
  );
  const data = await loadResults([join(root, 'shatter')]);
  const found = computeFindings(data).filter((f) => f.id === 'shatter');
  expect(found.map((f) => f.setting)).toEqual(['norm=batch · relu', 'norm=none · relu']);
  expect(found[1].text).not.toContain('0.010');
});
