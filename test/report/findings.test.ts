import { spread } from '../../src/report/aggregate.js';
import { compareAbove, computeFindings, type Finding } from '../../src/report/findings/index.js';
import { loadResults } from '../../src/report/load.js';
import { depthTrend } from '../../src/report/trend.js';
import {
  removeTempDirs,
  tempDir,
  type FakeSweep,
  writeFakeSweep,
  writeStandardFixture,
} from './fake-results.js';

afterAll(removeTempDirs);

const SHORT = { steps: 100, logEvery: 10, evalEvery: 50, probeEvery: 50 };

async function findingsFor(sweep: Omit<FakeSweep, 'experiment'>): Promise<Finding[]> {
  const root = await tempDir('find');
  const dir = await writeFakeSweep(root, {
    experiment: 'craft',
    ...sweep,
    extra: { ...SHORT, ...sweep.extra },
  });
  return computeFindings(await loadResults([dir]));
}

const byId = (findings: Finding[], id: Finding['id']) => findings.filter((f) => f.id === id);

test('compareAbove: separated ranges decide, overlapping or single-seed ones do not', () => {
  expect(compareAbove(spread([0.2, 0.21]), spread([0.1, 0.11])).verdict).toBe('reproduced');
  expect(compareAbove(spread([0.1, 0.11]), spread([0.2, 0.21])).verdict).toBe('not reproduced');
  expect(compareAbove(spread([0.1, 0.25]), spread([0.2, 0.21])).verdict).toBe('not established');
  expect(compareAbove(spread([0.9]), spread([0.1])).verdict).toBe('not established');
});

test('a degraded plain sweep says "reproduced" with its numbers; residual nets improving too', async () => {
  const findings = await findingsFor({
    depths: [8, 14, 20],
    seeds: [0, 1, 2],
    finalTrainError: (residual, depth, seed) =>
      (residual ? 0.1 - depth * 0.002 : 0.04 + depth * 0.004) + seed * 0.002,
  });
  const [degradation] = byId(findings, 'degradation');
  expect(degradation.verdict).toBe('reproduced');
  // Final error = target + (0.9 - target) e^-6: 0.12 + 0.002 s for plain-20 -> 12.2..12.6%.
  expect(degradation.text).toMatch(
    /^final training error plain-8 7\.\d% \(range .*, 3 seeds\) → plain-14 .* → plain-20 12\.\d% \(range 12\.\d%–12\.\d%, 3 seeds\); it rises at every step \(8 → 14 by 2\.4% \[1\.9%, 2\.8%\], 14 → 20 by 2\.4% \[1\.9%, 2\.8%\]; end to end difference 4\.8%, 95% interval 4\.3% to 5\.2% \(Welch, 3 vs 3 seeds\), P\(above\) 1\.00\): degradation reproduced\.$/,
  );
  const [improves] = byId(findings, 'residual-depth');
  expect(improves.verdict).toBe('reproduced');
  expect(improves.text).toContain('→ residual-20 6.');
  expect(improves.text).toMatch(
    /it falls at every step \(8 → 14 by [\d.]+% \[[\d.]+%, [\d.]+%\], 14 → 20 by /,
  );
  expect(byId(findings, 'residual-vs-plain')[0].verdict).toBe('reproduced');
});

test('overlapping seed ranges give "not established"', async () => {
  const findings = await findingsFor({
    depths: [8, 20],
    seeds: [0, 1, 2],
    residual: [false],
    finalTrainError: (_r, depth, seed) => (depth === 8 ? 0.05 : 0.06) + seed * 0.02,
  });
  const [degradation] = byId(findings, 'degradation');
  expect(degradation.verdict).toBe('not established');
  expect(degradation.text).toContain('spans 0; ~64 seeds a side would resolve a difference this size');
  expect(degradation.text).toMatch(/degradation not established\.$/);
});

test('a deeper plain net that trains better gives "not reproduced"; one seed gives "not established"', async () => {
  const better = await findingsFor({
    depths: [8, 20],
    seeds: [0, 1],
    residual: [false],
    finalTrainError: (_r, depth, seed) => (depth === 8 ? 0.2 : 0.1) + seed * 0.01,
  });
  expect(byId(better, 'degradation')[0].verdict).toBe('not reproduced');
  const single = await findingsFor({
    depths: [8, 20],
    seeds: [0],
    residual: [false],
    finalTrainError: (_r, d) => d / 100,
  });
  expect(byId(single, 'degradation')[0].verdict).toBe('not established');
  expect(byId(single, 'degradation')[0].text).toContain('fewer than 2 seeds');
});

test('only findings the data can test: one depth of residual nets gives no depth comparisons', async () => {
  const findings = await findingsFor({ depths: [14], seeds: [0, 1], residual: [true] });
  expect(findings.map((f) => f.id)).toEqual([]);
});

test('gradients: vanishing in plain nets without norm, healthy in residual ones, healthy with BN', async () => {
  const root = await tempDir('find-std');
  const findings = computeFindings(await loadResults([await writeStandardFixture(root)]));
  const [plain] = byId(findings, 'vanishing-plain-depth');
  expect(plain.setting).toBe('norm=none');
  expect(plain.verdict).toBe('reproduced');
  // 0.7^19 = 1.1e-3 for plain-20 (seed noise +-10%); 0.7^7 = 8.2e-2 for plain-8.
  expect(plain.text).toMatch(
    /gradient norm over the last layer's is plain-8 [789]\.\de-2 .* → plain-20 1\.\de-3 .*\([23]\.\d orders of magnitude below at depth 20\)/,
  );
  expect(byId(findings, 'vanishing-residual')[0].verdict).toBe('reproduced');
  const bn = byId(findings, 'bn-gradients').find((f) => f.setting === 'norm=batch')!;
  expect(bn.verdict).toBe('reproduced');
  // Two seeds a side cannot establish the degradation itself (Welch at df ~1), so nothing is put down to it.
  expect(byId(findings, 'degradation').find((f) => f.setting === 'norm=batch')?.verdict).toBe(
    'not established',
  );
  expect(bn.text).toContain('gradients are healthy; healthy norms reproduced');
  expect(bn.text).not.toContain('not explained by vanishing gradients');
  expect(byId(findings, 'responses').every((f) => f.verdict === 'reproduced')).toBe(true);
});

test('degradation in BN nets is not put down to healthy gradients when the norms vanish', async () => {
  const findings = await findingsFor({
    depths: [8, 20],
    seeds: [0, 1],
    residual: [false],
    finalTrainError: (_r, depth, seed) => depth / 200 + seed * 0.001,
    extra: { gradDecay: 0.7 },
  });
  expect(byId(findings, 'degradation')[0].verdict).toBe('reproduced');
  const [bn] = byId(findings, 'bn-gradients');
  expect(bn.verdict).toBe('not reproduced');
  expect(bn.text).toContain('gradients do vanish here');
  expect(bn.text).not.toContain('not explained by vanishing gradients');
});

test('a threshold claim needs no second seed: one healthy BN plain net is judged on its own', async () => {
  const findings = await findingsFor({ depths: [8, 20], seeds: [0], residual: [false] });
  const [bn] = byId(findings, 'bn-gradients');
  expect(bn.verdict).toBe('reproduced');
  expect(bn.text).toMatch(
    // 0.99^19 = 0.83 with 10% seed noise, the worst probe over training.
    /plain-20 with normalisation keeps its first-layer gradient at [78]\.\de-1 \(1 seed\)/,
  );
  // ... while the depth comparison with one seed stays not established.
  expect(byId(findings, 'degradation')[0].verdict).toBe('not established');
});

test('one depth without normalisation: vanishing is judged by the orders of magnitude lost', async () => {
  const findings = await findingsFor({
    depths: [20],
    seeds: [0],
    norms: ['none'],
    extra: { activation: 'sigmoid' },
  });
  const [plain] = byId(findings, 'vanishing-plain');
  expect(byId(findings, 'vanishing-plain-depth')).toEqual([]); // one depth: no trend to read
  expect(plain.verdict).toBe('reproduced');
  // 0.7^19 = 1.1e-3: 2.9 orders of magnitude (vanishing means below 1e-2).
  expect(plain.text).toMatch(
    /plain-20's first-layer gradient norm is 1\.\de-3 \(1 seed\) times its last layer's \(2\.\d orders of magnitude below/,
  );
  expect(byId(findings, 'vanishing-residual')[0].verdict).toBe('reproduced');
});

describe('trends read every depth', () => {
  // A non-monotone middle depth: plain-32 trains worse than plain-56; residual-32 worse than residual-20.
  const errors: Record<string, Record<number, number>> = {
    plain: { 8: 0.05, 20: 0.1, 32: 0.3, 56: 0.2 },
    residual: { 8: 0.3, 20: 0.2, 32: 0.32, 56: 0.1 },
  };
  const middle = () =>
    findingsFor({
      depths: [8, 20, 32, 56],
      seeds: [0, 1, 2],
      finalTrainError: (residual, depth, seed) =>
        errors[residual ? 'residual' : 'plain'][depth] + seed * 0.005,
    });

  it('a trend that holds end to end but breaks in the middle is "partly", naming the steps that break it', async () => {
    const findings = await middle();
    const [degradation] = byId(findings, 'degradation');
    expect(degradation.verdict).toBe('partly');
    expect(degradation.text).toContain('plain-8 ');
    expect(degradation.text).toContain('→ plain-20 ');
    expect(degradation.text).toContain('→ plain-32 ');
    expect(degradation.text).toMatch(
      /it rises from 8 to 56 \(difference 15\.0%, 95% interval 13\.8% to 16\.1% \(Welch, 3 vs 3 seeds\), P\(above\) 1\.00\) but not at every step: 32 → 56 falls \(-10\.0% \[-11\.1%, -8\.8%\]\): degradation partly\.$/,
    );
    const [residual] = byId(findings, 'residual-depth');
    expect(residual.verdict).toBe('partly');
    expect(residual.text).toMatch(
      /but not at every step: 20 → 32 rises \(-1\d\.\d% \[-1\d\.\d%, -1?\d\.\d%\]\)/,
    );
  });

  it('the demo case: residual 8 -> 32 improves end to end while residual-32 ends above residual-20', async () => {
    const findings = await findingsFor({
      depths: [8, 20, 32],
      seeds: [0, 1, 2],
      residual: [true],
      finalTrainError: (_r, depth, seed) => ({ 8: 0.45, 20: 0.213, 32: 0.322 })[depth]! + seed * 0.005,
    });
    const [residual] = byId(findings, 'residual-depth');
    expect(residual.verdict).toBe('partly');
    expect(residual.text).not.toContain('reproduced');
  });

  it.each([
    {
      ends: 'reversed end to end',
      errors: { 8: 0.3, 20: 0.35, 32: 0.1 } as Record<number, number>,
      seedStep: 0.005,
      verdict: 'not reproduced',
      text: 'it falls from 8 to 32 (difference -20.0%, 95% interval -21.5% to -18.4% (Welch, 2 vs 2 seeds), P(above) 0.00: the other way); steps against the claim: 20 → 32 falls (-24.9% [-26.5%, -23.4%])',
    },
    {
      ends: 'overlapping ends, whatever the middle does,',
      errors: { 8: 0.1, 20: 0.3, 32: 0.1 },
      seedStep: 0.05,
      verdict: 'not established',
      text: 'shows no clear trend from 8 to 32 (difference 0.0%, 95% interval -15.2% to 15.2% (Welch, 2 vs 2 seeds), P(above) 0.50: spans 0); steps: 8 → 20 rises, 20 → 32 falls',
    },
  ])('$ends is "$verdict"', async ({ errors, seedStep, verdict, text }) => {
    const findings = await findingsFor({
      depths: [8, 20, 32],
      seeds: [0, 1],
      residual: [false],
      finalTrainError: (_r, depth, seed) => errors[depth]! + seed * seedStep,
    });
    const [degradation] = byId(findings, 'degradation');
    expect(degradation.verdict).toBe(verdict);
    expect(degradation.text).toContain(text);
  });

  it('a reversed trend names the steps against the claim apart from the unclear ones', () => {
    const t = depthTrend(
      new Map([
        [20, spread([0.3, 0.31])],
        [32, spread([0.25])],
        [44, spread([0.1, 0.11])],
        [56, spread([0.05, 0.06])],
      ]),
      'rises',
    )!;
    expect(t.verdict).toBe('not reproduced');
    expect(t.summary).toBe(
      'falls from 20 to 56 (difference -0.250, 95% interval -0.280 to -0.220 (Welch, 2 vs 2 seeds), P(above) 0.00: the other way); ' +
        'steps against the claim: 44 → 56 falls (-0.0500 [-0.0804, -0.0196]); ' +
        'unclear steps: 20 → 32 (fewer than 2 seeds on a side, so seed spread is unknown), ' +
        '32 → 44 (fewer than 2 seeds on a side, so seed spread is unknown)',
    );
  });

  it('depthTrend on its own: every adjacent pair is compared', () => {
    const m = new Map([
      [20, spread([0.1, 0.11, 0.105])],
      [32, spread([0.2, 0.21, 0.205])],
      [44, spread([0.2, 0.25, 0.225])],
      [56, spread([0.3, 0.31, 0.305])],
    ]);
    const t = depthTrend(m, 'rises')!;
    expect(t.steps.map((s) => [s.from, s.to, s.verdict])).toEqual([
      [20, 32, 'reproduced'],
      [32, 44, 'not established'],
      [44, 56, 'reproduced'],
    ]);
    expect(t.verdict).toBe('partly');
    expect(t.summary).toBe(
      'rises from 20 to 56 (difference 0.200, 95% interval 0.189 to 0.211 (Welch, 3 vs 3 seeds), P(above) 1.00) ' +
        'but not at every step: 32 → 44 by 0.0200 [-0.0390, 0.0790]',
    );
    expect(depthTrend(new Map([[20, spread([0.1, 0.2])]]), 'rises')).toBeNull();
  });
});
