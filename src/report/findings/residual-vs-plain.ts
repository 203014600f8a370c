// He et al. 2015: at the deepest depth both were run, the residual net trains better than the plain one.
import { formatPct } from '../aggregate.js';
import { describe } from '../verdict.js';
import { failedNote, residualBelowPlain, trainErrorIn } from './depth-groups.js';

const CLAIM = 'at equal depth the residual net has lower training error than the plain net (He et al. 2015)';

export const residualVsPlain = residualBelowPlain(
  'residual-vs-plain',
  CLAIM,
  trainErrorIn,
  (group, at) => {
    const why = `${at.why}${failedNote(group.runs, [at.depth])}`;
    return `${group.tag}at depth ${at.depth}, residual ends at ${describe(at.residual, formatPct)} training error vs ${describe(at.plain, formatPct)} for plain (plain minus residual: ${why}): residual advantage ${at.verdict}.`;
  },
  formatPct,
);
