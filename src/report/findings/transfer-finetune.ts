// Kornblith et al. 2019: fine-tuning a pretrained body beats a linear probe on its frozen features.
import { formatPct } from '../aggregate.js';
import { compareAbove, describe } from '../verdict.js';
import { defineFinding, type Judgement } from './finding.js';
import { at, budgetText, perBackbone, points, sharedBudgets, type TransferRun } from './transfer-budgets.js';

/** Kornblith et al. 2019: fine-tuning beats fixed features; judged near 100 labels/class, gaps at every budget. */
function finetuneVsLinear(backbone: string, runs: TransferRun[]): Judgement | null {
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
    verdict,
    text:
      `${backbone} ${budgetText(budget)}: full fine-tuning ends at ${describe(finetune, formatPct)} target test error vs ` +
      `${describe(linear, formatPct)} for the linear probe, a gap of ${points(linear.mean - finetune.mean)} (${why}): ` +
      `fine-tuning advantage ${verdict}. Gap by labels/class: ${gaps.join(', ')}.`,
  };
}

export const transferFinetune = defineFinding(
  'transfer-finetune',
  'fine-tuning beats a frozen linear probe (Kornblith et al. 2019)',
  (data) => perBackbone(data, finetuneVsLinear),
);
