// The shattered-gradients finding (Balduzzi et al. 2017): at initialisation, the correlation of
// gradients at neighbouring inputs decays fast with depth in plain nets (the paper: like 2^-L) and
// slowly in residual nets (like 1/sqrt(L)). Read per normalisation, from each run's lag-1
// autocorrelation, with the decay rates fitted to the measured depths and named beside the paper's.
import { formatPct, groupBy, settingLabeller, spread, type Spread } from '../aggregate.js';
import type { ReportData, ShatterPoint } from '../rows.js';
import { describeByDepth } from '../trend.js';
import { compareAbove, MIN_SEEDS, type Verdict } from '../verdict.js';
import { defineFinding, type SettingJudgement } from './finding.js';
import { residualSides } from './depth-groups.js';

/** Correlations at or below this count as fully decorrelated when fitting logarithms. */
const FLOOR = 1e-3;

/** Least-squares slope of y on x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

/**
 * Decay of the correlation c(L) with depth, fitted over every run: the factor per layer of
 * c ∝ b^L (the paper's plain-net form) and the exponent of c ∝ L^p (its residual-net form).
 */
export function decayRates(runs: readonly { depth: number; value: number }[]): {
  perLayer: number;
  power: number;
} {
  const logC = runs.map((r) => Math.log(Math.max(r.value, FLOOR)));
  return {
    perLayer: Math.exp(
      slope(
        runs.map((r) => r.depth),
        logC,
      ),
    ),
    power: slope(
      runs.map((r) => Math.log(r.depth)),
      logC,
    ),
  };
}

const fixed3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
const fixed2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

const CLAIM =
  'gradients at neighbouring inputs decorrelate fast with depth in plain nets and slowly in residual nets (Balduzzi et al. 2017)';

function shatterJudgements(data: ReportData): SettingJudgement[] {
  const neighbours = data.shatter.filter(
    (p: ShatterPoint) =>
      p.series === 'autocorrelation' && p.position === 1 && p.status === 'ok' && Number.isFinite(p.value),
  );
  const judgements: SettingJudgement[] = [];
  // Each row's norm is the measured net's (a run's unnormalised counterpart says none), so settings
  // are told apart over the rows, not the runs.
  const settingOf = settingLabeller(neighbours);
  const sides = [...groupBy(neighbours, settingOf)].flatMap(([setting, points]) =>
    residualSides(points, setting),
  );
  for (const { setting, plain, residual } of sides) {
    const bySeedAtDepth = (ps: ShatterPoint[]) =>
      new Map(
        [...groupBy(ps, (p) => String(p.depth))]
          .map(([d, g]) => [Number(d), spread(g.map((p) => p.value))] as [number, Spread])
          .sort((a, b) => a[0] - b[0]),
      );
    const plainAt = bySeedAtDepth(plain);
    const resAt = bySeedAtDepth(residual);
    const common = [...plainAt.keys()].filter((d) => resAt.has(d));
    if (common.length < 2) continue;
    const shallow = Math.min(...common);
    const deep = Math.max(...common);
    const plainRates = decayRates(plain);
    const resRates = decayRates(residual);
    // How much each architecture loses from the shallowest to the deepest depth, in log terms.
    const drop = (at: Map<number, Spread>) =>
      Math.log(Math.max(at.get(shallow)!.mean, FLOOR)) - Math.log(Math.max(at.get(deep)!.mean, FLOOR));
    const { verdict: apart, why } = compareAbove(resAt.get(deep)!, plainAt.get(deep)!);
    let verdict: Verdict;
    if (plainAt.get(deep)!.n < MIN_SEEDS || resAt.get(deep)!.n < MIN_SEEDS) verdict = 'not established';
    else if (apart === 'not reproduced') verdict = 'not reproduced';
    else if (apart === 'reproduced' && drop(plainAt) > drop(resAt)) verdict = 'reproduced';
    else verdict = 'not established';
    judgements.push({
      setting,
      verdict,
      text:
        `${setting ? `[${setting}] ` : ''}at initialisation, the correlation of gradients at neighbouring inputs is ` +
        `${describeByDepth(plainAt, (d) => `plain-${d}`, fixed3)}; ${describeByDepth(resAt, (d) => `residual-${d}`, fixed3)}. ` +
        `Fitted over depths ${[...new Set([...plainAt.keys(), ...resAt.keys()])].sort((a, b) => a - b).join('/')}: ` +
        `plain keeps ${formatPct(plainRates.perLayer)} per layer (the paper: 2^-L, 50%), ` +
        `residual falls as L^${fixed2(resRates.power)} (the paper: L^-0.5); ` +
        `at depth ${deep} ${why}: faster decorrelation in plain nets ${verdict}.`,
    });
  }
  return judgements;
}

export const shatter = defineFinding('shatter', CLAIM, shatterJudgements);
