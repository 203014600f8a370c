// He et al. 2015 Fig. 1/6: the deeper plain net has the higher training error, at every depth.
import type { ReportData } from '../rows.js';
import { type DepthGroup, groupFinding, trainErrorTrend } from './depth-groups.js';
import type { Judgement } from './finding.js';

const CLAIM = 'deeper plain nets have higher training error (He et al. 2015, Fig. 1/6)';

/** The degradation judgement of one setting (other findings read its verdict). */
export function degradationIn(data: ReportData, group: DepthGroup): Judgement | null {
  return trainErrorTrend(data, group, 'plain', 'degradation', 'rises');
}

export const degradation = groupFinding('degradation', CLAIM, degradationIn);
