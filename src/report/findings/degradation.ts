// He et al. 2015 Fig. 1/6: the deeper plain net has the higher training error, at every depth.
import type { ReportData } from '../rows.js';
import type { Finding } from '../verdict.js';
import { type DepthGroup, perGroup, trainErrorTrend } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'deeper plain nets have higher training error (He et al. 2015, Fig. 1/6)';

/** The degradation finding of one setting (other findings read its verdict). */
export function degradationIn(data: ReportData, group: DepthGroup): Finding | null {
  return trainErrorTrend(
    data,
    group,
    'plain',
    { id: 'degradation', claim: CLAIM, conclusion: 'degradation' },
    'rises',
  );
}

export const degradation: FindingDefinition = {
  name: 'degradation',
  claim: CLAIM,
  evaluate: (data) => perGroup(data, (group) => degradationIn(data, group)),
};
