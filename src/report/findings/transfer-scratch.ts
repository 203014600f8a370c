// Yosinski et al. 2014: a pretrained, fine-tuned body beats training on the target from scratch,
// judged at the smallest label budget both were run at.
import { beatsAtSmallestBudget } from './transfer-budgets.js';

const CLAIM =
  'a pretrained, fine-tuned body beats training on the target from scratch (Yosinski et al. 2014)';

export const transferScratch = beatsAtSmallestBudget('transfer-scratch', CLAIM, {
  better: { mode: 'finetune', words: 'fine-tuned from the source run' },
  worse: { mode: 'scratch', words: 'from scratch' },
  conclusion: 'the advantage of pretraining is',
});
