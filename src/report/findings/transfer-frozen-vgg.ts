// Practitioners' advice: frozen VGG features are a good baseline for small data.
import { formatPct } from '../aggregate.js';
import { compareAbove, describe, type Finding } from '../verdict.js';
import type { FindingDefinition } from './finding.js';
import { at, budgetText, byBackbone, sharedBudgets, type TransferRun } from './transfer-budgets.js';

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

export const transferFrozenVgg: FindingDefinition = {
  name: 'transfer-frozen-vgg',
  claim: 'frozen VGG features are a good baseline for small data (practitioners)',
  evaluate: (data) =>
    byBackbone(data)
      .filter(([backbone]) => backbone.startsWith('vgg'))
      .map(([backbone, runs]) => frozenVgg(backbone, runs))
      .filter((f): f is Finding => f !== null),
};
