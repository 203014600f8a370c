// Li et al. 2018's claim about shape: around its minimum a residual net's loss surface is nearly
// convex and a plain net's chaotic, read as the share of the 2-D slice that curves down.
import { describe, compareAbove, type Finding } from '../verdict.js';
import type { FindingDefinition } from './finding.js';
import { landscapePairs } from './landscape-measures.js';

const CLAIM =
  'around its minimum a residual net has a more convex loss surface than a plain net (Li et al. 2018)';
const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(100 * v)}%` : 'n/a');

export const landscapeConvexity: FindingDefinition = {
  name: 'landscape-convexity',
  claim: CLAIM,
  evaluate: (data) =>
    landscapePairs(data)
      .map(({ depth, plain, residual }): Finding => {
        const { verdict, why } = compareAbove(plain.nonConvex, residual.nonConvex);
        return {
          id: 'landscape-convexity',
          claim: CLAIM,
          setting: '',
          verdict,
          text:
            `points of the 2-D slice where the loss curves down along some direction (finite-difference Hessian with a negative eigenvalue): ` +
            `residual-${depth} ${describe(residual.nonConvex, pct)}, plain-${depth} ${describe(plain.nonConvex, pct)} (${why}): more convex residual landscape ${verdict}.`,
        };
      })
      .sort((a, b) => a.text.localeCompare(b.text)),
};
