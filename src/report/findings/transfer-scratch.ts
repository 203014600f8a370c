// Yosinski et al. 2014: a pretrained, fine-tuned body beats training on the target from scratch.
import { formatPct } from '../aggregate.js';
import { compareAbove, describe, type Finding } from '../verdict.js';
import type { FindingDefinition } from './finding.js';
import { at, budgetText, byBackbone, sharedBudgets, type TransferRun } from './transfer-budgets.js';

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

export const transferScratch: FindingDefinition = {
  name: 'transfer-scratch',
  claim: 'a pretrained, fine-tuned body beats training on the target from scratch (Yosinski et al. 2014)',
  evaluate: (data) =>
    byBackbone(data)
      .map(([backbone, runs]) => finetuneVsScratch(backbone, runs))
      .filter((f): f is Finding => f !== null),
};
