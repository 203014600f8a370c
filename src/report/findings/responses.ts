// He et al. 2015 Fig. 7: residual responses are smaller than plain ones, at the deepest common depth.
import { compareAbove, describe } from '../verdict.js';
import { byDepth, fixed3, meanResponseIn, perGroup } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'residual nets have smaller layer responses than plain nets (He et al. 2015, Fig. 7)';

export const responses: FindingDefinition = {
  name: 'responses',
  claim: CLAIM,
  evaluate: (data) =>
    perGroup(data, (group) => {
      const plain = byDepth(group.plain, meanResponseIn(data));
      const residual = byDepth(group.residual, meanResponseIn(data));
      const common = [...plain.keys()].filter((d) => residual.has(d));
      if (common.length === 0) return null;
      const d = Math.max(...common);
      const { verdict, why } = compareAbove(plain.get(d)!, residual.get(d)!);
      return {
        id: 'responses',
        claim: CLAIM,
        setting: group.setting,
        verdict,
        text: `${group.tag}mean layer response std at depth ${d}: residual ${describe(residual.get(d)!, fixed3)} vs plain ${describe(plain.get(d)!, fixed3)} (${why}): smaller residual responses ${verdict}.`,
      };
    }),
};
