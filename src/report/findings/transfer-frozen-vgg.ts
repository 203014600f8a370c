// Practitioners' advice: frozen VGG features are a good baseline for small data, i.e. a linear probe
// on the frozen body beats training from scratch at the smallest label budget both were run at.
import { formatPct } from '../aggregate.js';
import { describe } from '../verdict.js';
import type { FindingDefinition } from './finding.js';
import { atSmallestBudget, budgetText, perBackbone } from './transfer-budgets.js';

const CLAIM = 'frozen VGG features are a good baseline for small data (practitioners)';

export const transferFrozenVgg: FindingDefinition = {
  name: 'transfer-frozen-vgg',
  claim: CLAIM,
  evaluate: (data) =>
    perBackbone(
      data,
      (backbone, runs) => {
        const c = atSmallestBudget(runs, 'linear', 'scratch');
        if (!c) return null;
        return {
          id: 'transfer-frozen-vgg',
          claim: CLAIM,
          setting: backbone,
          verdict: c.verdict,
          text:
            `${backbone} ${budgetText(c.budget)}: a linear probe on the frozen body reaches ${describe(c.better, formatPct)} target test error, ` +
            `training from scratch ${describe(c.worse, formatPct)} (${c.why}): frozen features beating scratch ${c.verdict}.`,
        };
      },
      (backbone) => backbone.startsWith('vgg'),
    ),
};
