// Glorot & Bengio 2010: without normalisation, a deep plain net's first-layer gradient is orders of
// magnitude below its last layer's. Read where one depth was run (several: vanishing-plain-depth).
import type { Spread } from '../aggregate.js';
import { describe, type Verdict } from '../verdict.js';
import { byDepth, gradRatioAtInit, groupFinding, sci, VANISHING_BELOW, withoutNorm } from './depth-groups.js';

const CLAIM =
  "without normalisation, a deep plain net's first-layer gradient is orders of magnitude below its last layer's (Glorot & Bengio 2010)";

/** Orders of magnitude between the first and the last layer's gradient norm. */
export const orders = (s: Spread): number => (s.mean > 0 ? -Math.log10(s.mean) : NaN);

export const vanishingPlain = groupFinding('vanishing-plain', CLAIM, (data, group) => {
  const ratios = byDepth(withoutNorm(group.plain), gradRatioAtInit(data));
  if (ratios.size !== 1) return null;
  const [d, s] = [...ratios][0];
  const verdict: Verdict =
    s.max < VANISHING_BELOW ? 'reproduced' : s.min >= VANISHING_BELOW ? 'not reproduced' : 'not established';
  return {
    verdict,
    text:
      `${group.tag}at initialisation, without normalisation, plain-${d}'s first-layer gradient norm is ${describe(s, sci)} times its last layer's ` +
      `(${orders(s).toFixed(1)} orders of magnitude below; vanishing means below 1e-2 in every seed): vanishing gradients ${verdict}.`,
  };
});
