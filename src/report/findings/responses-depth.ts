// He et al. 2015 Fig. 7: a deeper residual net responds less than a shallower one, at every depth.
import { byDepth, fixed3, groupFinding, meanResponseIn, trendJudgement } from './depth-groups.js';

const CLAIM = 'a deeper residual net has smaller responses than a shallower one (He et al. 2015, Fig. 7)';

export const responsesDepth = groupFinding('responses-depth', CLAIM, (data, group) =>
  trendJudgement(
    group,
    { measure: 'mean layer response std', net: 'residual', conclusion: 'smaller responses with depth' },
    byDepth(group.residual, meanResponseIn(data)),
    'falls',
    fixed3,
  ),
);
