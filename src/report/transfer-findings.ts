// Transfer findings: the published claims about adapting a pretrained
// backbone, tested per backbone on the transfer runs, each with its numbers and a seed-aware verdict.
import { formatPct, groupBy, spread, type Spread } from './aggregate.js';
import type { ReportData } from './rows.js';
import { transferRuns, type TransferRun } from './transfer-runs.js';
import { compareAbove, describe, type Finding } from './verdict.js';

type Measure = (t: TransferRun) => number;
const testError: Measure = (t) => t.testError;
/** How far test error sits above train error: the overfitting a small label budget invites. */
const generalisationGap: Measure = (t) => t.testError - t.trainError;

const points = (v: number) => `${(v * 100).toFixed(1)} points`;
const budgetText = (b: number | null) => (b === null ? 'with the whole target set' : `at ${b} labels/class`);

function at(runs: readonly TransferRun[], mode: string, budget: number | null, measure = testError): Spread {
  return spread(runs.filter((t) => t.mode === mode && t.labels === budget).map(measure));
}

/** Label budgets (smallest first) at which every one of `modes` was run. */
function sharedBudgets(runs: readonly TransferRun[], modes: string[]): (number | null)[] {
  return [...new Set(runs.map((t) => t.labels))]
    .filter((b) => modes.every((m) => runs.some((t) => t.labels === b && t.mode === m)))
    .sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
}

/** Kornblith et al. 2019: fine-tuning beats fixed features; judged near 100 labels/class, gaps at every budget. */
function finetuneVsLinear(backbone: string, runs: TransferRun[]): Finding | null {
  const budgets = sharedBudgets(runs, ['finetune', 'linear']);
  if (budgets.length === 0) return null;
  const distance = (b: number | null) => (b === null ? Infinity : Math.abs(Math.log(b / 100)));
  const budget = budgets.reduce((best, b) => (distance(b) < distance(best) ? b : best));
  const finetune = at(runs, 'finetune', budget);
  const linear = at(runs, 'linear', budget);
  const { verdict, why } = compareAbove(linear, finetune);
  const gaps = budgets.map(
    (b) => `${b ?? 'all'}: ${points(at(runs, 'linear', b).mean - at(runs, 'finetune', b).mean)}`,
  );
  return {
    id: 'transfer-finetune',
    claim: 'fine-tuning beats a frozen linear probe (Kornblith et al. 2019)',
    setting: backbone,
    verdict,
    text:
      `${backbone} ${budgetText(budget)}: full fine-tuning ends at ${describe(finetune, formatPct)} target test error vs ` +
      `${describe(linear, formatPct)} for the linear probe, a gap of ${points(linear.mean - finetune.mean)} (${why}): ` +
      `fine-tuning advantage ${verdict}. Gap by labels/class: ${gaps.join(', ')}.`,
  };
}

/** Yosinski et al. 2014: transfer plus fine-tuning beats training on the target from scratch; judged at the smallest budget. */
function finetuneVsScratch(backbone: string, runs: TransferRun[]): Finding | null {
  const [budget] = sharedBudgets(runs, ['finetune', 'scratch']);
  if (budget === undefined) return null;
  const finetune = at(runs, 'finetune', budget);
  const scratch = at(runs, 'scratch', budget);
  const { verdict, why } = compareAbove(scratch, finetune);
  return {
    id: 'transfer-scratch',
    claim: 'a pretrained, fine-tuned body beats training on the target from scratch (Yosinski et al. 2014)',
    setting: backbone,
    verdict,
    text:
      `${backbone} ${budgetText(budget)}: fine-tuned from the source run ${describe(finetune, formatPct)} target test error, ` +
      `from scratch ${describe(scratch, formatPct)} (${why}): the advantage of pretraining is ${verdict}.`,
  };
}

/** "ResNet fine-tunes with less risk of overfitting than VGG": test minus train error of full fine-tuning, smallest budget. */
function overfitting(residual: [string, TransferRun[]], vgg: [string, TransferRun[]]): Finding | null {
  const both = [...residual[1], ...vgg[1]];
  const budget = sharedBudgets(both, ['finetune']).find(
    (b) => at(residual[1], 'finetune', b).n > 0 && at(vgg[1], 'finetune', b).n > 0,
  );
  if (budget === undefined) return null;
  const resGap = at(residual[1], 'finetune', budget, generalisationGap);
  const vggGap = at(vgg[1], 'finetune', budget, generalisationGap);
  const { verdict, why } = compareAbove(vggGap, resGap);
  return {
    id: 'transfer-overfit',
    claim: 'a ResNet fine-tunes with less overfitting than a VGG (practitioners)',
    setting: `${residual[0]} vs ${vgg[0]}`,
    verdict,
    text:
      `full fine-tuning ${budgetText(budget)}: test minus train error ${describe(resGap, points)} for ${residual[0]} vs ` +
      `${describe(vggGap, points)} for ${vgg[0]} (${why}): less overfitting in the residual net ${verdict}.`,
  };
}

/** "Frozen VGG features are a good baseline for small data": the linear probe beats training from scratch at the smallest budget. */
function frozenVgg(backbone: string, runs: TransferRun[]): Finding | null {
  const [budget] = sharedBudgets(runs, ['linear', 'scratch']);
  if (budget === undefined) return null;
  const linear = at(runs, 'linear', budget);
  const scratch = at(runs, 'scratch', budget);
  const { verdict, why } = compareAbove(scratch, linear);
  return {
    id: 'transfer-frozen-vgg',
    claim: 'frozen VGG features are a good baseline for small data (practitioners)',
    setting: backbone,
    verdict,
    text:
      `${backbone} ${budgetText(budget)}: a linear probe on the frozen body reaches ${describe(linear, formatPct)} target test error, ` +
      `training from scratch ${describe(scratch, formatPct)} (${why}): frozen features beating scratch ${verdict}.`,
  };
}

export function transferFindings(data: ReportData): Finding[] {
  const runs = transferRuns(data).filter((t) => Number.isFinite(t.testError));
  const backbones = [...groupBy(runs, (t) => t.backbone)];
  const findings: (Finding | null)[] = [];
  for (const [backbone, group] of backbones) {
    findings.push(finetuneVsLinear(backbone, group), finetuneVsScratch(backbone, group));
    if (backbone.startsWith('vgg')) findings.push(frozenVgg(backbone, group));
  }
  for (const residual of backbones.filter(([b]) => b.startsWith('residual')))
    for (const vgg of backbones.filter(([b]) => b.startsWith('vgg')))
      findings.push(overfitting(residual, vgg));
  return findings.filter((f): f is Finding => f !== null);
}
