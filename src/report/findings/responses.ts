// He et al. 2015 Fig. 7: residual responses are smaller than plain ones, at the deepest common depth.
import { describe } from '../verdict.js';
import { fixed3, meanResponseIn, residualBelowPlain } from './depth-groups.js';

const CLAIM = 'residual nets have smaller layer responses than plain nets (He et al. 2015, Fig. 7)';

export const responses = residualBelowPlain('responses', CLAIM, meanResponseIn, (group, at) => {
  const [residual, plain] = [describe(at.residual, fixed3), describe(at.plain, fixed3)];
  return `${group.tag}mean layer response std at depth ${at.depth}: residual ${residual} vs plain ${plain} (${at.why}): smaller residual responses ${at.verdict}.`;
});
