// He et al. 2015: at the deepest depth both were run, the residual net trains better than the plain one.
import { formatPct } from '../aggregate.js';
import { compareAbove, describe } from '../verdict.js';
import { byDepth, failedNote, perGroup, trainErrorIn } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

const CLAIM = 'at equal depth the residual net has lower training error than the plain net (He et al. 2015)';

export const residualVsPlain: FindingDefinition = {
  name: 'residual-vs-plain',
  claim: CLAIM,
  evaluate: (data) =>
    perGroup(data, (group) => {
      const plain = byDepth(group.plain, trainErrorIn(data));
      const residual = byDepth(group.residual, trainErrorIn(data));
      const common = [...plain.keys()].filter((d) => residual.has(d));
      if (common.length === 0) return null;
      const d = Math.max(...common);
      const { verdict, why } = compareAbove(plain.get(d)!, residual.get(d)!);
      return {
        id: 'residual-vs-plain',
        claim: CLAIM,
        setting: group.setting,
        verdict,
        text: `${group.tag}at depth ${d}, residual ends at ${describe(residual.get(d)!, formatPct)} training error vs ${describe(plain.get(d)!, formatPct)} for plain (${why}${failedNote(group.runs, [d])}): residual advantage ${verdict}.`,
      };
    }),
};
