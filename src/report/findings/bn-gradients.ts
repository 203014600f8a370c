// He et al. 2015: with normalisation the plain nets' gradients are healthy, so their degradation is
// an optimisation difficulty. The report says so only when the measured norms show it.
import { describe, type Verdict } from '../verdict.js';
import { degradationIn } from './degradation.js';
import {
  byDepth,
  firstOverLast,
  gradsByRun,
  groupFinding,
  sci,
  VANISHING_BELOW,
  withNorm,
} from './depth-groups.js';

const CLAIM =
  "with normalisation, plain nets' gradients have healthy norms, so degradation is not vanishing gradients (He et al. 2015)";

export const bnGradients = groupFinding('bn-gradients', CLAIM, (data, group) => {
  const worst = [...byDepth(withNorm(group.plain), (r) => firstOverLast(gradsByRun(data).get(r.run), null))];
  if (worst.length === 0) return null;
  const [d, s] = worst[worst.length - 1];
  let verdict: Verdict;
  if (s.min >= VANISHING_BELOW) verdict = 'reproduced';
  else if (s.max < VANISHING_BELOW) verdict = 'not reproduced';
  else verdict = 'not established';
  const healthy = `plain-${d} with normalisation keeps its first-layer gradient at ${describe(s, sci)} times its last layer's at worst over training`;
  let meaning: string;
  if (verdict === 'reproduced') {
    meaning =
      degradationIn(data, group)?.verdict === 'reproduced'
        ? 'gradients are healthy, so the degradation seen here is not explained by vanishing gradients (an optimisation difficulty, as He et al. argue)'
        : 'gradients are healthy';
  } else if (verdict === 'not reproduced') {
    meaning =
      'gradients do vanish here (below 1e-2), so vanishing gradients may contribute to any degradation in these runs';
  } else {
    meaning = 'the measurement cannot say whether gradients vanish, so degradation is not attributed to them';
  }
  return {
    verdict,
    text: `${group.tag}${healthy}: ${meaning}; healthy norms ${verdict}.`,
  };
});
