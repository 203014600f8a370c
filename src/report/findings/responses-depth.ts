// He et al. 2015 Fig. 7: a deeper residual net responds less than a shallower one, at every depth.
import { byDepth, fixed3, meanResponseIn, perGroup, trendFinding } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'a deeper residual net has smaller responses than a shallower one (He et al. 2015, Fig. 7)';

export const responsesDepth: FindingDefinition = {
  name: 'responses-depth',
  claim: CLAIM,
  evaluate: (data) =>
    perGroup(data, (group) =>
      trendFinding(
        group,
        {
          id: 'responses-depth',
          claim: CLAIM,
          measure: 'mean layer response std',
          net: 'residual',
          conclusion: 'smaller responses with depth',
        },
        byDepth(group.residual, meanResponseIn(data)),
        'falls',
        fixed3,
      ),
    ),
};
