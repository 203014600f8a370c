// Glorot & Bengio 2010: without normalisation, plain nets' first-layer gradients vanish as depth
// grows: vanishing at the deepest net, and more so at every step deeper.
import { describeByDepth, depthTrend } from '../trend.js';
import { MIN_SEEDS, type Verdict } from '../verdict.js';
import { byDepth, gradRatioAtInit, groupFinding, sci, VANISHING_BELOW, withoutNorm } from './depth-groups.js';
import { orders } from './vanishing-plain.js';

const CLAIM =
  "without normalisation, plain nets' first-layer gradients vanish as depth grows (Glorot & Bengio 2010)";

export const vanishingPlainDepth = groupFinding('vanishing-plain-depth', CLAIM, (data, group) => {
  const ratios = byDepth(withoutNorm(group.plain), gradRatioAtInit(data));
  const trend = depthTrend(ratios, 'falls');
  if (!trend) return null;
  const deepest = Math.max(...ratios.keys());
  const s = ratios.get(deepest)!;
  let verdict: Verdict;
  if (s.n < MIN_SEEDS) verdict = 'not established';
  else if (s.min >= VANISHING_BELOW || trend.verdict === 'not reproduced') verdict = 'not reproduced';
  else if (s.max < VANISHING_BELOW && (trend.verdict === 'reproduced' || trend.verdict === 'partly'))
    verdict = trend.verdict;
  else verdict = 'not established';
  return {
    verdict,
    text:
      `${group.tag}at initialisation, without normalisation, the first-layer gradient norm over the last layer's is ` +
      `${describeByDepth(ratios, (d) => `plain-${d}`, sci)} (${orders(s).toFixed(1)} orders of magnitude below at depth ${deepest}); ` +
      `it ${trend.summary}: vanishing gradients ${verdict}.`,
  };
});
