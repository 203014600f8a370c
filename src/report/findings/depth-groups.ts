// What the depth findings share: runs trained from scratch grouped by setting (norm, activation,
// ...), split into plain and residual, each group judged on a claim, per-run measures computed once
// per report, values by depth with their seed spread, the sentence of a trend claim read at every
// depth, and the comparison of plain with residual nets at the deepest depth both were run.
import {
  arch,
  finalErrors,
  formatPct,
  finalResponses,
  groupBy,
  layersOf,
  settingLabeller,
  spread,
  type Spread,
} from '../aggregate.js';
import type { LayerPoint, ReportData, RunInfo } from '../rows.js';
import { describeByDepth, depthTrend, type Direction } from '../trend.js';
import { compareAbove, type Verdict } from '../verdict.js';
import { defineFinding, type FindingDefinition, type Judgement, type SettingJudgement } from './finding.js';

export interface DepthGroup {
  /** '' when the report has one setting. */
  setting: string;
  /** "[setting] " or '', to start a sentence. */
  tag: string;
  runs: RunInfo[];
  plain: RunInfo[];
  residual: RunInfo[];
  /** What the residual side is called: 'residual', or its block's name where several blocks are compared. */
  residualName: string;
}

/** A function of the report data computed once per data object. */
function once<T>(compute: (data: ReportData) => T): (data: ReportData) => T {
  const cache = new WeakMap<ReportData, T>();
  return (data) => {
    if (!cache.has(data)) cache.set(data, compute(data));
    return cache.get(data)!;
  };
}

/** Transfer runs answer a different question: the depth findings are about runs trained from scratch. */
const scratchRuns = (data: ReportData) => data.runs.filter((r) => !r.manifest.config?.transfer);

/**
 * The setting label of a run (or of an analysis row, by its run's facets): what tells apart runs that
 * must not be pooled as seeds of one net (norm, activation, ...), over the report's scratch runs.
 */
export const settingOf = once((data) => settingLabeller(scratchRuns(data)));

/** The "[setting] " prefix of a finding's sentence, or nothing where there is one setting. */
export const settingTag = (setting: string): string => (setting ? `[${setting}] ` : '');

/**
 * Plain items against residual ones, once per residual architecture where there are several (each
 * block against the same plain items, its setting naming it: "norm=batch · resnet-d vs plain").
 */
export function residualSides<T extends { residual: boolean; arch?: string }>(
  items: readonly T[],
  setting: string,
): { setting: string; plain: T[]; residual: T[]; residualName: string }[] {
  const plain = items.filter((r) => !r.residual);
  const blocks = [
    ...groupBy(
      items.filter((r) => r.residual),
      (r) => arch(r),
    ),
  ];
  if (blocks.length <= 1)
    return [{ setting, plain, residual: blocks[0]?.[1] ?? [], residualName: 'residual' }];
  const plainName = plain.length ? arch(plain[0]) : 'plain';
  return blocks.map(([name, residual]) => ({
    setting: [setting, `${name} vs ${plainName}`].filter(Boolean).join(' · '),
    plain,
    residual,
    residualName: name,
  }));
}

/**
 * The runs of each setting, plain against residual. Where the report holds several residual blocks,
 * each is its own group against the same plain runs ("resnet-d vs plain"): their seeds never pool.
 */
export const depthGroups = once((data): DepthGroup[] => {
  return [...groupBy(scratchRuns(data), settingOf(data))].flatMap(([setting, runs]) =>
    residualSides(runs, setting).map((side) => ({
      ...side,
      tag: settingTag(side.setting),
      runs: side.residual.length && side.setting !== setting ? [...side.plain, ...side.residual] : runs,
    })),
  );
});

/** Each group's judgement, in group order, where `judge` could give one. */
export function perGroup(
  data: ReportData,
  judge: (group: DepthGroup) => Judgement | null,
): SettingJudgement[] {
  return depthGroups(data).flatMap((group) => {
    const judgement = judge(group);
    return judgement ? [{ setting: group.setting, ...judgement }] : [];
  });
}

/** A claim judged in each setting's group of runs trained from scratch. */
export function groupFinding(
  name: string,
  claim: string,
  judge: (data: ReportData, group: DepthGroup) => Judgement | null,
): FindingDefinition {
  return defineFinding(name, claim, (data) => perGroup(data, (group) => judge(data, group)));
}

const finals = once((data) => finalErrors(data.runs, data.metrics));
/** A run's final training error (NaN when it logged none). */
export const trainErrorIn =
  (data: ReportData) =>
  (run: RunInfo): number =>
    finals(data).get(run.run)?.train ?? NaN;

const meanResponses = once(
  (data) =>
    new Map(
      [...groupBy(finalResponses(data).points, (p) => p.run)].map(([run, ps]) => [
        run,
        spread(ps.map((p) => p.value)).mean,
      ]),
    ),
);
/** A run's mean layer response std at its last probe. */
export const meanResponseIn =
  (data: ReportData) =>
  (run: RunInfo): number =>
    meanResponses(data).get(run.run) ?? NaN;

/** grad_norm rows by run. */
export const gradsByRun = once((data) => groupBy(layersOf(data, 'grad_norm'), (l) => l.run));

/** Values per depth for one architecture, from a per-run measure. */
export function byDepth(runs: RunInfo[], measure: (run: RunInfo) => number): Map<number, Spread> {
  const out = new Map<number, Spread>();
  for (const [depth, group] of groupBy(runs, (r) => String(r.depth)))
    out.set(Number(depth), spread(group.map(measure)));
  return new Map([...out].filter(([, s]) => s.n > 0).sort((a, b) => a[0] - b[0]));
}

/** "; 1 diverged run counted at its last logged error" when any compared run did not complete. */
export function failedNote(runs: RunInfo[], depths: number[]): string {
  const failed = runs.filter(
    (r) => depths.includes(r.depth) && (r.manifest.status === 'diverged' || r.manifest.status === 'failed'),
  );
  if (failed.length === 0) return '';
  return `; ${failed.length} diverged/failed run(s) counted at their last logged error`;
}

/** A claim about a trend with depth, read at every depth (report/trend.ts). */
export function trendJudgement(
  group: DepthGroup,
  t: { measure: string; net: string; conclusion: string },
  values: Map<number, Spread>,
  direction: Direction,
  format: (v: number) => string,
  note = '',
): Judgement | null {
  const trend = depthTrend(values, direction, format);
  if (!trend) return null;
  const byDepthText = describeByDepth(values, (d) => `${t.net}-${d}`, format);
  return {
    verdict: trend.verdict,
    text: `${group.tag}${t.measure} ${byDepthText}; it ${trend.summary}${note}: ${t.conclusion} ${trend.verdict}.`,
  };
}

/** The seed spread of a measure of plain and of residual nets at one depth. */
export interface AtDepth {
  depth: number;
  plain: Spread;
  residual: Spread;
}

/** An `AtDepth` with the verdict on "plain's measure is above residual's" and why. */
export type Compared = AtDepth & { verdict: Verdict; why: string };

/** Judges "plain's measure is above residual's" at one depth on the interval of plain minus residual. */
export function plainAboveResidual(at: AtDepth, format?: (v: number) => string): Compared {
  return { ...at, ...compareAbove(at.plain, at.residual, format) };
}

/** A per-run measure of plain and residual nets at the deepest depth both were run, or null. */
export function atDeepestCommonDepth(group: DepthGroup, measure: (run: RunInfo) => number): AtDepth | null {
  const plain = byDepth(group.plain, measure);
  const residual = byDepth(group.residual, measure);
  const common = [...plain.keys()].filter((d) => residual.has(d));
  if (common.length === 0) return null;
  const depth = Math.max(...common);
  return { depth, plain: plain.get(depth)!, residual: residual.get(depth)! };
}

/**
 * A claim that residual nets' per-run `measure` is below plain nets', judged in each setting at the
 * deepest depth both were run, on the interval of the difference; `sentence` words the numbers and the verdict.
 */
export function residualBelowPlain(
  name: string,
  claim: string,
  measure: (data: ReportData) => (run: RunInfo) => number,
  sentence: (group: DepthGroup, at: Compared) => string,
  format?: (v: number) => string,
): FindingDefinition {
  return groupFinding(name, claim, (data, group) => {
    const deepest = atDeepestCommonDepth(group, measure(data));
    if (!deepest) return null;
    const at = plainAboveResidual(deepest, format);
    return { verdict: at.verdict, text: sentence(group, at) };
  });
}

/** A trend of final training error with depth for one architecture (degradation, residual improvement). */
export function trainErrorTrend(
  data: ReportData,
  group: DepthGroup,
  net: 'plain' | 'residual',
  conclusion: string,
  direction: Direction,
): Judgement | null {
  const runs = group[net];
  const errors = byDepth(runs, trainErrorIn(data));
  const label = net === 'residual' ? group.residualName : runs.length ? arch(runs[0]) : 'plain';
  const trend = { measure: 'final training error', net: label, conclusion };
  return trendJudgement(group, trend, errors, direction, formatPct, failedNote(runs, [...errors.keys()]));
}

/** first-layer / last-layer gradient norm at `step` (or the worst over training when step is null), from grad_norm rows. */
export function firstOverLast(points: LayerPoint[] | undefined, step: number | null): number {
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

/**
 * "Vanishing" is geometric decay: orders of magnitude lost between the last and the first layer.
 * A ratio above 1e-2 (a factor under 100 across the whole net) is not called vanishing.
 */
export const VANISHING_BELOW = 1e-2;

/** A run's first-layer over last-layer gradient norm at initialisation. */
export const gradRatioAtInit =
  (data: ReportData) =>
  (run: RunInfo): number =>
    firstOverLast(gradsByRun(data).get(run.run), 0);

export const sci = (v: number) => (Number.isFinite(v) ? v.toExponential(1) : 'n/a');
export const fixed3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
export const withoutNorm = (runs: RunInfo[]) => runs.filter((r) => r.norm === 'none');
export const withNorm = (runs: RunInfo[]) => runs.filter((r) => r.norm !== 'none');
