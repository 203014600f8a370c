// Without normalisation, the residual counterpart keeps its first-layer gradient within about one
// order of magnitude of its last layer's. A threshold, not a comparison: every seed must fall inside.
import { describe, type Verdict } from '../verdict.js';
import { byDepth, gradRatioAtInit, groupFinding, sci, withoutNorm } from './depth-groups.js';

const CLAIM =
  'without normalisation, residual nets keep the first-layer gradient within ~1 order of magnitude of the last';

export const vanishingResidual = groupFinding('vanishing-residual', CLAIM, (data, group) => {
  const ratios = [...byDepth(withoutNorm(group.residual), gradRatioAtInit(data))];
  if (ratios.length === 0) return null;
  const [d, s] = ratios[ratios.length - 1];
  let verdict: Verdict;
  if (s.min >= 0.1 && s.max <= 10) verdict = 'reproduced';
  else if (s.max < 0.1 || s.min > 10) verdict = 'not reproduced';
  else verdict = 'not established';
  return {
    verdict,
    text: `${group.tag}at initialisation, without normalisation, residual-${d}'s first-layer gradient norm is ${describe(s, sci)} times its last layer's (healthy band: 1e-1 to 1e+1): ${verdict}.`,
  };
});
