// Practitioners' advice: frozen VGG features are a good baseline for small data, i.e. a linear probe
// on the frozen body beats training from scratch at the smallest label budget both were run at.
import { beatsAtSmallestBudget } from './transfer-budgets.js';

const CLAIM = 'frozen VGG features are a good baseline for small data (practitioners)';

export const transferFrozenVgg = beatsAtSmallestBudget('transfer-frozen-vgg', CLAIM, {
  better: { mode: 'linear', words: 'a linear probe on the frozen body reaches' },
  worse: { mode: 'scratch', words: 'training from scratch' },
  conclusion: 'frozen features beating scratch',
  only: (backbone) => backbone.startsWith('vgg'),
});
