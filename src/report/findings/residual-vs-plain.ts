// He et al. 2015: at the deepest depth both were run, the residual net trains better than the plain one.
import { formatPct } from '../aggregate.js';
import { compareAbove, describe } from '../verdict.js';
import { atDeepestCommonDepth, failedNote, perGroup, trainErrorIn } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'at equal depth the residual net has lower training error than the plain net (He et al. 2015)';

export const residualVsPlain: FindingDefinition = {
  name: 'residual-vs-plain',
  claim: CLAIM,
  evaluate: (data) =>
    perGroup(data, (group) => {
      const at = atDeepestCommonDepth(group, trainErrorIn(data));
      if (!at) return null;
      const { verdict, why } = compareAbove(at.plain, at.residual);
      return {
        id: 'residual-vs-plain',
        claim: CLAIM,
        setting: group.setting,
        verdict,
        text: `${group.tag}at depth ${at.depth}, residual ends at ${describe(at.residual, formatPct)} training error vs ${describe(at.plain, formatPct)} for plain (${why}${failedNote(group.runs, [at.depth])}): residual advantage ${verdict}.`,
      };
    }),
};
