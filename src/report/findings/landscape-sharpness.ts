// Sharpness beside Li et al. 2018's shape claim: a residual net's loss rises less along
// filter-normalised directions away from its minimum than a plain net's.
import { describe } from '../verdict.js';
import { landscapeFinding } from './landscape-measures.js';

const CLAIM = "a residual net's loss rises less away from its minimum than a plain net's (Li et al. 2018)";
const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

export const landscapeSharpness = landscapeFinding('landscape-sharpness', CLAIM, 'rise', (at) => {
  const [residual, plain] = [describe(at.residual, fixed), describe(at.plain, fixed)];
  return (
    `moving half the slice's range along a filter-normalised direction raises the training loss of residual-${at.depth} by ` +
    `${residual} and of plain-${at.depth} by ${plain} (${at.why}): flatter residual minimum ${at.verdict}.`
  );
});
