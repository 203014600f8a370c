// Findings in words, computed from the runs: for each published claim (He et al. 2015 and others) the data can
// test, one sentence with the numbers and a verdict that accounts for seed spread. A comparison
// needs at least two seeds on each side; its verdict is "inconclusive" when the seed ranges overlap.
// A threshold claim (a gradient ratio inside a band) holds when every measured seed satisfies it.
import {
  finalErrors,
  finalResponses,
  layersOf,
  formatPct,
  groupBy,
  settingLabeller,
  spread,
  type Spread,
} from './aggregate.js';
import type { LayerPoint, ReportData, RunInfo } from './rows.js';
import { landscapeFindings } from './landscape-findings.js';
import { lesionFindings } from './lesion-findings.js';
import { shatterFindings } from './shatter-findings.js';
import { transferFindings } from './transfer-findings.js';
import { describeByDepth, depthTrend, type Direction } from './trend.js';
import { compareAbove, describe, MIN_SEEDS, type Finding, type Verdict } from './verdict.js';

export { compareAbove, type Finding, type Verdict } from './verdict.js';

const sci = (v: number) => (Number.isFinite(v) ? v.toExponential(1) : 'n/a');
const fixed3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');

/** "; 1 diverged run counted at its last logged error" when any compared run did not complete. */
function failedNote(runs: RunInfo[], depths: number[]): string {
  const failed = runs.filter(
    (r) => depths.includes(r.depth) && (r.manifest.status === 'diverged' || r.manifest.status === 'failed'),
  );
  if (failed.length === 0) return '';
  return `; ${failed.length} diverged/failed run(s) counted at their last logged error`;
}

function prefix(setting: string): string {
  return setting ? `[${setting}] ` : '';
}

/** Values per depth for one architecture, from a per-run measure. */
function byDepth(runs: RunInfo[], measure: (run: RunInfo) => number): Map<number, Spread> {
  const out = new Map<number, Spread>();
  for (const [depth, group] of groupBy(runs, (r) => String(r.depth)))
    out.set(Number(depth), spread(group.map(measure)));
  return new Map([...out].filter(([, s]) => s.n > 0).sort((a, b) => a[0] - b[0]));
}

export function computeFindings(data: ReportData): Finding[] {
  const findings: Finding[] = [];
  const finals = finalErrors(data.runs, data.metrics);
  const trainError = (r: RunInfo) => finals.get(r.run)?.train ?? NaN;
  const gradsByRun = groupBy(layersOf(data, 'grad_norm'), (l) => l.run);
  const { points: responses } = finalResponses(data);
  const meanResponse = new Map(
    [...groupBy(responses, (p) => p.run)].map(([run, ps]) => [run, spread(ps.map((p) => p.value)).mean]),
  );

  findings.push(...transferFindings(data));
  findings.push(...lesionFindings(data));
  findings.push(...landscapeFindings(data));
  findings.push(...shatterFindings(data));
  // Transfer runs answer a different question; the depth findings are about runs trained from scratch.
  const scratch = data.runs.filter((r) => !r.manifest.config?.transfer);
  const settingOf = settingLabeller(scratch);
  for (const [setting, runs] of groupBy(scratch, settingOf)) {
    const plain = runs.filter((r) => !r.residual);
    const residual = runs.filter((r) => r.residual);
    const tag = prefix(setting);

    /** A claim about a trend with depth, read at every depth (report/trend.ts). */
    const trendFinding = (
      t: { id: Finding['id']; claim: string; measure: string; net: string; conclusion: string },
      values: Map<number, Spread>,
      direction: Direction,
      format: (v: number) => string,
      note = '',
    ): Finding | null => {
      const trend = depthTrend(values, direction);
      if (!trend) return null;
      const byDepthText = describeByDepth(values, (d) => `${t.net}-${d}`, format);
      return {
        id: t.id,
        claim: t.claim,
        setting,
        verdict: trend.verdict,
        text: `${tag}${t.measure} ${byDepthText}; it ${trend.summary}${note}: ${t.conclusion} ${trend.verdict}.`,
      };
    };

    // He et al. Fig. 1/6: the deeper plain net has the higher training error, at every depth.
    const plainErrors = byDepth(plain, trainError);
    const degradationFinding = trendFinding(
      {
        id: 'degradation',
        claim: 'deeper plain nets have higher training error (He et al. 2015, Fig. 1/6)',
        measure: 'final training error',
        net: 'plain',
        conclusion: 'degradation',
      },
      plainErrors,
      'rises',
      formatPct,
      failedNote(plain, [...plainErrors.keys()]),
    );
    const degradation: Verdict | null = degradationFinding?.verdict ?? null;

    // He et al. Fig. 6: residual nets' training error falls as depth grows, at every depth.
    const resErrors = byDepth(residual, trainError);
    const residualFinding = trendFinding(
      {
        id: 'residual-depth',
        claim: 'deeper residual nets have lower training error (He et al. 2015, Fig. 6)',
        measure: 'final training error',
        net: 'residual',
        conclusion: 'improvement with depth',
      },
      resErrors,
      'falls',
      formatPct,
      failedNote(residual, [...resErrors.keys()]),
    );
    for (const f of [degradationFinding, residualFinding]) if (f) findings.push(f);

    // At the deepest depth both were run: the residual net trains better than the plain one.
    const plainDepths = byDepth(plain, trainError);
    const resDepths = byDepth(residual, trainError);
    const common = [...plainDepths.keys()].filter((d) => resDepths.has(d));
    if (common.length > 0) {
      const d = Math.max(...common);
      const { verdict, why } = compareAbove(plainDepths.get(d)!, resDepths.get(d)!);
      findings.push({
        id: 'residual-vs-plain',
        claim: 'at equal depth the residual net has lower training error than the plain net (He et al. 2015)',
        setting,
        verdict,
        text: `${tag}at depth ${d}, residual ends at ${describe(resDepths.get(d)!, formatPct)} training error vs ${describe(plainDepths.get(d)!, formatPct)} for plain (${why}${failedNote(runs, [d])}): residual advantage ${verdict}.`,
      });
    }

    // He et al. Fig. 7: residual responses are smaller than plain ones (at the deepest common depth),
    // and a deeper residual net responds less than a shallower one.
    const responseOf = (r: RunInfo) => meanResponse.get(r.run) ?? NaN;
    const plainResp = byDepth(plain, responseOf);
    const resResp = byDepth(residual, responseOf);
    const commonResp = [...plainResp.keys()].filter((d) => resResp.has(d));
    if (commonResp.length > 0) {
      const d = Math.max(...commonResp);
      const { verdict, why } = compareAbove(plainResp.get(d)!, resResp.get(d)!);
      findings.push({
        id: 'responses',
        claim: 'residual nets have smaller layer responses than plain nets (He et al. 2015, Fig. 7)',
        setting,
        verdict,
        text: `${tag}mean layer response std at depth ${d}: residual ${describe(resResp.get(d)!, fixed3)} vs plain ${describe(plainResp.get(d)!, fixed3)} (${why}): smaller residual responses ${verdict}.`,
      });
    }
    const responsesFinding = trendFinding(
      {
        id: 'responses-depth',
        claim: 'a deeper residual net has smaller responses than a shallower one (He et al. 2015, Fig. 7)',
        measure: 'mean layer response std',
        net: 'residual',
        conclusion: 'smaller responses with depth',
      },
      resResp,
      'falls',
      fixed3,
    );
    if (responsesFinding) findings.push(responsesFinding);

    findings.push(...gradientFindings(tag, setting, plain, residual, gradsByRun, degradation));
  }
  return findings;
}

/** first-layer / last-layer gradient norm at `step` (or the worst over training when step is null), from grad_norm rows. */
function firstOverLast(points: LayerPoint[] | undefined, step: number | null): number {
  if (!points) return NaN;
  const grads = points.filter(
    (p) => p.stat === 'grad_norm' && Number.isFinite(p.value) && (step === null || p.step === step),
  );
  let worst = Infinity;
  for (const atStep of groupBy(grads, (p) => String(p.step)).values()) {
    let first = atStep[0];
    let last = atStep[0];
    for (const p of atStep) {
      if (p.depth_index < first.depth_index) first = p;
      if (p.depth_index > last.depth_index) last = p;
    }
    if (first === last || last.value <= 0) continue;
    worst = Math.min(worst, first.value / last.value);
  }
  return worst === Infinity ? NaN : worst;
}

function gradientFindings(
  tag: string,
  setting: string,
  plain: RunInfo[],
  residual: RunInfo[],
  gradsByRun: Map<string, LayerPoint[]>,
  degradation: Verdict | null,
): Finding[] {
  const findings: Finding[] = [];
  // "Vanishing" is geometric decay: orders of magnitude lost between the last and the first layer.
  // A ratio above 1e-2 (a factor under 100 across the whole net) is not called vanishing.
  const VANISHING_BELOW = 1e-2;
  const atInit = (r: RunInfo) => firstOverLast(gradsByRun.get(r.run), 0);
  const noNorm = (runs: RunInfo[]) => runs.filter((r) => r.norm === 'none');
  const normed = (runs: RunInfo[]) => runs.filter((r) => r.norm !== 'none');
  const orders = (s: Spread) => (s.mean > 0 ? -Math.log10(s.mean) : NaN);

  // Glorot & Bengio 2010: without normalisation, a deep plain net's first-layer gradient is
  // orders of magnitude below its last layer's, more so as depth grows.
  const plainRatios = byDepth(noNorm(plain), atInit);
  if (plainRatios.size === 1) {
    // One depth: the growth with depth is untested, the orders of magnitude lost are.
    const [d, s] = [...plainRatios][0];
    const verdict: Verdict =
      s.max < VANISHING_BELOW ? 'reproduced' : s.min >= VANISHING_BELOW ? 'not reproduced' : 'inconclusive';
    findings.push({
      id: 'vanishing-plain',
      claim:
        "without normalisation, a deep plain net's first-layer gradient is orders of magnitude below its last layer's (Glorot & Bengio 2010)",
      setting,
      verdict,
      text:
        `${tag}at initialisation, without normalisation, plain-${d}'s first-layer gradient norm is ${describe(s, sci)} times its last layer's ` +
        `(${orders(s).toFixed(1)} orders of magnitude below; vanishing means below 1e-2 in every seed): vanishing gradients ${verdict}.`,
    });
  }
  const ratioTrend = depthTrend(plainRatios, 'falls');
  if (ratioTrend) {
    const deepest = Math.max(...plainRatios.keys());
    const s1 = plainRatios.get(deepest)!;
    // Vanishing at the deepest net, and more so at every step deeper.
    let verdict: Verdict;
    if (s1.n < MIN_SEEDS) verdict = 'inconclusive';
    else if (s1.min >= VANISHING_BELOW || ratioTrend.verdict === 'not reproduced') verdict = 'not reproduced';
    else if (
      s1.max < VANISHING_BELOW &&
      (ratioTrend.verdict === 'reproduced' || ratioTrend.verdict === 'partly')
    )
      verdict = ratioTrend.verdict;
    else verdict = 'inconclusive';
    findings.push({
      id: 'vanishing-plain',
      claim:
        "without normalisation, plain nets' first-layer gradients vanish as depth grows (Glorot & Bengio 2010)",
      setting,
      verdict,
      text:
        `${tag}at initialisation, without normalisation, the first-layer gradient norm over the last layer's is ` +
        `${describeByDepth(plainRatios, (d) => `plain-${d}`, sci)} (${orders(s1).toFixed(1)} orders of magnitude below at depth ${deepest}); ` +
        `it ${ratioTrend.summary}: vanishing gradients ${verdict}.`,
    });
  }

  // ... while the residual counterpart keeps it within about one order of magnitude.
  const resRatio = [...byDepth(noNorm(residual), atInit)];
  if (resRatio.length > 0) {
    const [d, s] = resRatio[resRatio.length - 1];
    // A threshold, not a comparison: every seed measured must fall inside (or outside) the band.
    let verdict: Verdict;
    if (s.min >= 0.1 && s.max <= 10) verdict = 'reproduced';
    else if (s.max < 0.1 || s.min > 10) verdict = 'not reproduced';
    else verdict = 'inconclusive';
    findings.push({
      id: 'vanishing-residual',
      claim:
        'without normalisation, residual nets keep the first-layer gradient within ~1 order of magnitude of the last',
      setting,
      verdict,
      text: `${tag}at initialisation, without normalisation, residual-${d}'s first-layer gradient norm is ${describe(s, sci)} times its last layer's (healthy band: 1e-1 to 1e+1): ${verdict}.`,
    });
  }

  // He et al. 2015: with BN the plain nets' gradients are healthy, so their degradation is an
  // optimisation difficulty. The report says so only when the measured norms show it.
  const bnPlain = [...byDepth(normed(plain), (r) => firstOverLast(gradsByRun.get(r.run), null))];
  if (bnPlain.length > 0) {
    const [d, s] = bnPlain[bnPlain.length - 1];
    let verdict: Verdict;
    if (s.min >= VANISHING_BELOW) verdict = 'reproduced';
    else if (s.max < VANISHING_BELOW) verdict = 'not reproduced';
    else verdict = 'inconclusive';
    const healthy = `plain-${d} with normalisation keeps its first-layer gradient at ${describe(s, sci)} times its last layer's at worst over training`;
    let meaning: string;
    if (verdict === 'reproduced') {
      meaning =
        degradation === 'reproduced'
          ? 'gradients are healthy, so the degradation seen here is not explained by vanishing gradients (an optimisation difficulty, as He et al. argue)'
          : 'gradients are healthy';
    } else if (verdict === 'not reproduced') {
      meaning =
        'gradients do vanish here (below 1e-2), so vanishing gradients may contribute to any degradation in these runs';
    } else {
      meaning =
        'the measurement cannot say whether gradients vanish, so degradation is not attributed to them';
    }
    findings.push({
      id: 'bn-gradients',
      claim:
        "with normalisation, plain nets' gradients have healthy norms, so degradation is not vanishing gradients (He et al. 2015)",
      setting,
      verdict,
      text: `${tag}${healthy}: ${meaning}; healthy norms ${verdict}.`,
    });
  }
  return findings;
}
