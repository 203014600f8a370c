// What the transfer findings share: the transfer runs grouped by backbone, a measure of one mode
// at one label budget with its seed spread, the budgets at which given modes were all run, and the
// claim that one mode beats another at the smallest of them.
import { formatPct, groupBy, spread, type Spread } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { transferRuns, type TransferRun } from '../transfer-runs.js';
import { compareAbove, describe, type Verdict } from '../verdict.js';
import { defineFinding, type FindingDefinition, type Judgement, type SettingJudgement } from './finding.js';

export type { TransferRun } from '../transfer-runs.js';

export type Measure = (t: TransferRun) => number;
export const testError: Measure = (t) => t.testError;
/** How far test error sits above train error: the overfitting a small label budget invites. */
export const generalisationGap: Measure = (t) => t.testError - t.trainError;

export const points = (v: number) => `${(v * 100).toFixed(1)} points`;
export const budgetText = (b: number | null) =>
  b === null ? 'with the whole target set' : `at ${b} labels/class`;

export function at(
  runs: readonly TransferRun[],
  mode: string,
  budget: number | null,
  measure = testError,
): Spread {
  return spread(runs.filter((t) => t.mode === mode && t.labels === budget).map(measure));
}

/** Label budgets (smallest first) at which every one of `modes` was run. */
export function sharedBudgets(runs: readonly TransferRun[], modes: string[]): (number | null)[] {
  return [...new Set(runs.map((t) => t.labels))]
    .filter((b) => modes.every((m) => runs.some((t) => t.labels === b && t.mode === m)))
    .sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
}

/** The transfer runs with a test error, by backbone. */
export function byBackbone(data: ReportData): [string, TransferRun[]][] {
  const runs = transferRuns(data).filter((t) => Number.isFinite(t.testError));
  return [...groupBy(runs, (t) => t.backbone)];
}

/** Each backbone's judgement from `judge` (backbones `only` accepts), where it could judge one. */
export function perBackbone(
  data: ReportData,
  judge: (backbone: string, runs: TransferRun[]) => Judgement | null,
  only: (backbone: string) => boolean = () => true,
): SettingJudgement[] {
  return byBackbone(data)
    .filter(([backbone]) => only(backbone))
    .flatMap(([backbone, runs]) => {
      const judgement = judge(backbone, runs);
      return judgement ? [{ setting: backbone, ...judgement }] : [];
    });
}

/** "`better` ends below `worse`" at the smallest label budget both were run at, or null. */
export function atSmallestBudget(
  runs: readonly TransferRun[],
  better: string,
  worse: string,
): { budget: number | null; better: Spread; worse: Spread; verdict: Verdict; why: string } | null {
  const [budget] = sharedBudgets(runs, [better, worse]);
  if (budget === undefined) return null;
  const [b, w] = [at(runs, better, budget), at(runs, worse, budget)];
  return { budget, better: b, worse: w, ...compareAbove(w, b) };
}

/**
 * A claim that mode `better` ends below mode `worse` in target test error, judged per backbone
 * (those `only` accepts) at the smallest label budget both were run at: the sentence names each
 * mode's runs in the claim's words and ends with its conclusion and the verdict.
 */
export function beatsAtSmallestBudget(
  name: string,
  claim: string,
  t: {
    better: { mode: string; words: string };
    worse: { mode: string; words: string };
    conclusion: string;
    only?: (backbone: string) => boolean;
  },
): FindingDefinition {
  const judge = (backbone: string, runs: TransferRun[]): Judgement | null => {
    const c = atSmallestBudget(runs, t.better.mode, t.worse.mode);
    if (!c) return null;
    return {
      verdict: c.verdict,
      text:
        `${backbone} ${budgetText(c.budget)}: ${t.better.words} ${describe(c.better, formatPct)} target test error, ` +
        `${t.worse.words} ${describe(c.worse, formatPct)} (${c.why}): ${t.conclusion} ${c.verdict}.`,
    };
  };
  return defineFinding(name, claim, (data) => perBackbone(data, judge, t.only));
}
