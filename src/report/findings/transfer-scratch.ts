// Yosinski et al. 2014: a pretrained, fine-tuned body beats training on the target from scratch,
// judged at the smallest label budget both were run at.
import { formatPct } from '../aggregate.js';
import { describe } from '../verdict.js';
import type { FindingDefinition } from './finding.js';
import { atSmallestBudget, budgetText, perBackbone } from './transfer-budgets.js';

const CLAIM =
  'a pretrained, fine-tuned body beats training on the target from scratch (Yosinski et al. 2014)';

export const transferScratch: FindingDefinition = {
  name: 'transfer-scratch',
  claim: CLAIM,
  evaluate: (data) =>
    perBackbone(data, (backbone, runs) => {
      const c = atSmallestBudget(runs, 'finetune', 'scratch');
      if (!c) return null;
      return {
        id: 'transfer-scratch',
        claim: CLAIM,
        setting: backbone,
        verdict: c.verdict,
        text:
          `${backbone} ${budgetText(c.budget)}: fine-tuned from the source run ${describe(c.better, formatPct)} target test error, ` +
          `from scratch ${describe(c.worse, formatPct)} (${c.why}): the advantage of pretraining is ${c.verdict}.`,
      };
    }),
};
