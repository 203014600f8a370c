// He et al. 2015 Fig. 6: residual nets' training error falls as depth grows, at every depth.
import { groupFinding, trainErrorTrend } from './depth-groups.js';

const CLAIM = 'deeper residual nets have lower training error (He et al. 2015, Fig. 6)';

export const residualDepth = groupFinding('residual-depth', CLAIM, (data, group) =>
  trainErrorTrend(data, group, 'residual', 'improvement with depth', 'falls'),
);
