// He et al. 2015 Fig. 6: residual nets' training error falls as depth grows, at every depth.
import { perGroup, trainErrorTrend } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'deeper residual nets have lower training error (He et al. 2015, Fig. 6)';

export const residualDepth: FindingDefinition = {
  name: 'residual-depth',
  claim: CLAIM,
  evaluate: (data) =>
    perGroup(data, (group) =>
      trainErrorTrend(
        data,
        group,
        'residual',
        { id: 'residual-depth', claim: CLAIM, conclusion: 'improvement with depth' },
        'falls',
      ),
    ),
};
