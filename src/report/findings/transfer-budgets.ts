// What the transfer findings share: the transfer runs grouped by backbone, a measure of one mode
// at one label budget with its seed spread, and the budgets at which given modes were all run.
import { groupBy, spread, type Spread } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { transferRuns, type TransferRun } from '../transfer-runs.js';
import { compareAbove, type Finding, type Verdict } from '../verdict.js';

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

/** Each backbone's finding from `judge` (backbones `only` accepts), the ones it could judge. */
export function perBackbone(
  data: ReportData,
  judge: (backbone: string, runs: TransferRun[]) => Finding | null,
  only: (backbone: string) => boolean = () => true,
): Finding[] {
  return byBackbone(data)
    .filter(([backbone]) => only(backbone))
    .map(([backbone, runs]) => judge(backbone, runs))
    .filter((f): f is Finding => f !== null);
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
