// Practitioners' claim: a ResNet fine-tunes with less overfitting than a VGG.
import { compareAbove, describe } from '../verdict.js';
import { defineFinding, type SettingJudgement } from './finding.js';
import {
  at,
  budgetText,
  byBackbone,
  generalisationGap,
  points,
  sharedBudgets,
  type TransferRun,
} from './transfer-budgets.js';

/** "ResNet fine-tunes with less risk of overfitting than VGG": test minus train error of full fine-tuning, smallest budget. */
function overfitting(
  residual: [string, TransferRun[]],
  vgg: [string, TransferRun[]],
): SettingJudgement | null {
  const both = [...residual[1], ...vgg[1]];
  const budget = sharedBudgets(both, ['finetune']).find(
    (b) => at(residual[1], 'finetune', b).n > 0 && at(vgg[1], 'finetune', b).n > 0,
  );
  if (budget === undefined) return null;
  const resGap = at(residual[1], 'finetune', budget, generalisationGap);
  const vggGap = at(vgg[1], 'finetune', budget, generalisationGap);
  const { verdict, why } = compareAbove(vggGap, resGap);
  return {
    setting: `${residual[0]} vs ${vgg[0]}`,
    verdict,
    text:
      `full fine-tuning ${budgetText(budget)}: test minus train error ${describe(resGap, points)} for ${residual[0]} vs ` +
      `${describe(vggGap, points)} for ${vgg[0]} (${why}): less overfitting in the residual net ${verdict}.`,
  };
}

export const transferOverfit = defineFinding(
  'transfer-overfit',
  'a ResNet fine-tunes with less overfitting than a VGG (practitioners)',
  (data) => {
    const backbones = byBackbone(data);
    const judgements: (SettingJudgement | null)[] = [];
    for (const residual of backbones.filter(([b]) => b.startsWith('residual')))
      for (const vgg of backbones.filter(([b]) => b.startsWith('vgg')))
        judgements.push(overfitting(residual, vgg));
    return judgements.filter((j): j is SettingJudgement => j !== null);
  },
);
