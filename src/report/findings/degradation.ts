// He et al. 2015 Fig. 1/6: the deeper plain net has the higher training error, at every depth.
import { formatPct } from '../aggregate.js';
import type { Finding } from '../verdict.js';
import {
  byDepth,
  type DepthGroup,
  failedNote,
  perGroup,
  trainErrorIn,
  trendFinding,
} from './depth-groups.js';
import type { FindingDefinition } from './finding.js';
import type { ReportData } from '../rows.js';

const CLAIM = 'deeper plain nets have higher training error (He et al. 2015, Fig. 1/6)';

/** The degradation finding of one setting (other findings read its verdict). */
export function degradationIn(data: ReportData, group: DepthGroup): Finding | null {
  const errors = byDepth(group.plain, trainErrorIn(data));
  return trendFinding(
    group,
    {
      id: 'degradation',
      claim: CLAIM,
      measure: 'final training error',
      net: 'plain',
      conclusion: 'degradation',
    },
    errors,
    'rises',
    formatPct,
    failedNote(group.plain, [...errors.keys()]),
  );
}

export const degradation: FindingDefinition = {
  name: 'degradation',
  claim: CLAIM,
  evaluate: (data) => perGroup(data, (group) => degradationIn(data, group)),
};
