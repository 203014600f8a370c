// Li et al. 2018's claim about shape: around its minimum a residual net's loss surface is nearly
// convex and a plain net's chaotic, read as the share of the 2-D slice that curves down.
import { describe } from '../verdict.js';
import { landscapeFinding } from './landscape-measures.js';

const CLAIM =
  'around its minimum a residual net has a more convex loss surface than a plain net (Li et al. 2018)';
const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(100 * v)}%` : 'n/a');

export const landscapeConvexity = landscapeFinding('landscape-convexity', CLAIM, 'nonConvex', (at) => {
  const [residual, plain] = [describe(at.residual, pct), describe(at.plain, pct)];
  return (
    `points of the 2-D slice where the loss curves down along some direction (finite-difference Hessian with a negative eigenvalue): ` +
    `residual-${at.depth} ${residual}, plain-${at.depth} ${plain} (${at.why}): more convex residual landscape ${at.verdict}.`
  );
});
