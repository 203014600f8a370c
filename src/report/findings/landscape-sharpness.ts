// Sharpness beside Li et al. 2018's shape claim: a residual net's loss rises less along
// filter-normalised directions away from its minimum than a plain net's.
import { describe, compareAbove, type Finding } from '../verdict.js';
import type { FindingDefinition } from './finding.js';
import { landscapePairs } from './landscape-measures.js';

const CLAIM = "a residual net's loss rises less away from its minimum than a plain net's (Li et al. 2018)";
const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

export const landscapeSharpness: FindingDefinition = {
  name: 'landscape-sharpness',
  claim: CLAIM,
  evaluate: (data) =>
    landscapePairs(data)
      .map(({ depth, plain, residual }): Finding => {
        const { verdict, why } = compareAbove(plain.rise, residual.rise);
        return {
          id: 'landscape-sharpness',
          claim: CLAIM,
          setting: '',
          verdict,
          text:
            `moving half the slice's range along a filter-normalised direction raises the training loss of residual-${depth} by ` +
            `${describe(residual.rise, fixed)} and of plain-${depth} by ${describe(plain.rise, fixed)} (${why}): flatter residual minimum ${verdict}.`,
        };
      })
      .sort((a, b) => a.text.localeCompare(b.text)),
};
