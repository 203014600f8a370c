// A report over several residual blocks (a user's variants beside basic) keeps each block its own group:
// seeds never pool across blocks, each block is judged against plain, each against the baseline block,
// and figures and the run table name the blocks.
import { buildReport } from '../../src/report/build.js';
import { computeFindings } from '../../src/report/findings/index.js';
import { errorVsDepth } from '../../src/report/figures/error-vs-depth.js';
import { runTableRows } from '../../src/report/figures/run-table.js';
import { loadResults } from '../../src/report/load.js';
import { removeTempDirs, tempDir, writeFakeRun } from './fake-results.js';

afterAll(removeTempDirs);

// Final training error by block: plain degrades; basic and resnet-d improve with depth, stochastic
// depth sits 2 points above basic everywhere, resnet-d 1 point below.
const ERROR: Record<string, (depth: number) => number> = {
  plain: (d) => 0.06 + 0.004 * d,
  basic: (d) => 0.1 - 0.001 * d,
  'stochastic-depth': (d) => 0.12 - 0.001 * d,
  'resnet-d': (d) => 0.09 - 0.001 * d,
};

async function fixture(): Promise<string> {
  const root = await tempDir('blocks');
  for (const [block, error] of Object.entries(ERROR))
    for (const depth of [8, 20])
      for (const seed of [0, 1, 2])
        await writeFakeRun(root, {
          experiment: 'my-blocks',
          block,
          residual: block !== 'plain',
          depth,
          seed,
          finalTrainError: error(depth) + 0.001 * seed,
        });
  return `${root}/my-blocks`;
}

test('three residual blocks are three groups against plain, and each is compared with basic at each depth', async () => {
  const data = await loadResults([await fixture()]);
  expect(new Set(data.runs.map((r) => r.arch))).toEqual(
    new Set(['plain', 'basic', 'stochastic-depth', 'resnet-d']),
  );
  const findings = computeFindings(data);
  const vsPlain = findings.filter((f) => f.id === 'residual-vs-plain');
  expect(vsPlain.map((f) => f.setting).sort()).toEqual([
    'basic vs plain',
    'resnet-d vs plain',
    'stochastic-depth vs plain',
  ]);
  // Three seeds a side, never nine: the blocks' seeds are not pooled.
  for (const f of vsPlain) {
    expect(f.verdict).toBe('reproduced');
    expect(f.text).toContain('(Welch, 3 vs 3 seeds)');
  }
  const depthTrend = findings.find((f) => f.id === 'residual-depth' && f.setting === 'resnet-d vs plain')!;
  expect(depthTrend.text).toMatch(/final training error resnet-d-8 8\.\d% .* → resnet-d-20 7\.\d%/);

  const baseline = findings.filter((f) => f.id === 'baseline');
  const verdictOf = (block: string, depth: number) =>
    baseline.find((f) => f.text.startsWith(`${block}-${depth} `))?.verdict;
  // stochastic-depth and resnet-d at depths 8 and 20; plain against residual is the paper's finding, not this one.
  expect(baseline).toHaveLength(4);
  expect(baseline.some((f) => f.text.startsWith('plain-'))).toBe(false);
  expect(verdictOf('resnet-d', 20)).toBe('reproduced'); // 1 point below basic
  expect(verdictOf('stochastic-depth', 8)).toBe('not reproduced'); // 2 points above
  expect(baseline.find((f) => f.text.startsWith('resnet-d-20 '))!.text).toMatch(
    /basic minus resnet-d: difference 1\.0%, 95% interval 0\.\d\d% to 1\.\d%/,
  );

  // The figure colours every block apart: none falls outside the colour scale.
  expect(JSON.stringify(errorVsDepth(data))).toContain(
    '"domain":["plain","basic","resnet-d","stochastic-depth"]',
  );

  const rows = runTableRows(data);
  expect(new Set(rows.map((r) => r.block))).toEqual(new Set(Object.keys(ERROR)));
  expect(rows.find((r) => r.run.includes('resnet-d-batch-d20-s1'))).toMatchObject({
    block: 'resnet-d',
    depth: '20',
  });
});

test('report --baseline picks the block compared against, and refuses one no run uses', async () => {
  const dir = await fixture();
  const out = `${dir}/../report.html`;
  const result = await buildReport([dir], { out, baseline: 'resnet-d' });
  const baseline = result.findings.filter((f) => f.id === 'baseline');
  expect(baseline.every((f) => f.text.includes('for resnet-d-'))).toBe(true);
  expect(baseline.some((f) => f.text.startsWith('basic-8 '))).toBe(true);
  await expect(buildReport([dir], { out, baseline: 'nonesuch' })).rejects.toThrow(
    '--baseline nonesuch: no run uses that block (blocks here: basic, plain, resnet-d, stochastic-depth)',
  );
});

test('net labels sort by architecture, then depth as a number', async () => {
  const { netOrder } = await import('../../src/report/aggregate.js');
  expect(
    netOrder(['plain-8', 'plain-20', 'plain-14', 'resnet-d-8', 'basic-20', 'basic-8', 'plain-8']),
  ).toEqual(['basic-8', 'basic-20', 'plain-8', 'plain-14', 'plain-20', 'resnet-d-8']);
});
