// He et al. 2015 Fig. 6: residual nets' training error falls as depth grows, at every depth.
import { formatPct } from '../aggregate.js';
import { byDepth, failedNote, perGroup, trainErrorIn, trendFinding } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'deeper residual nets have lower training error (He et al. 2015, Fig. 6)';

export const residualDepth: FindingDefinition = {
  name: 'residual-depth',
  claim: CLAIM,
  evaluate: (data) =>
    perGroup(data, (group) => {
      const errors = byDepth(group.residual, trainErrorIn(data));
      return trendFinding(
        group,
        {
          id: 'residual-depth',
          claim: CLAIM,
          measure: 'final training error',
          net: 'residual',
          conclusion: 'improvement with depth',
        },
        errors,
        'falls',
        formatPct,
        failedNote(group.residual, [...errors.keys()]),
      );
    }),
};
