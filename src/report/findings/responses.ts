// He et al. 2015 Fig. 7: residual responses are smaller than plain ones, at the deepest common depth.
import { compareAbove, describe } from '../verdict.js';
import { atDeepestCommonDepth, fixed3, meanResponseIn, perGroup } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'residual nets have smaller layer responses than plain nets (He et al. 2015, Fig. 7)';

export const responses: FindingDefinition = {
  name: 'responses',
  claim: CLAIM,
  evaluate: (data) =>
    perGroup(data, (group) => {
      const at = atDeepestCommonDepth(group, meanResponseIn(data));
      if (!at) return null;
      const { verdict, why } = compareAbove(at.plain, at.residual);
      return {
        id: 'responses',
        claim: CLAIM,
        setting: group.setting,
        verdict,
        text: `${group.tag}mean layer response std at depth ${at.depth}: residual ${describe(at.residual, fixed3)} vs plain ${describe(at.plain, fixed3)} (${why}): smaller residual responses ${verdict}.`,
      };
    }),
};
