// What a finding is and how a verdict accounts for seed spread: a comparison needs at least two
// seeds on each side, and is "inconclusive" when the seed ranges overlap.
import type { Spread } from './aggregate.js';

/** 'partly': a trend with depth that holds end to end but not at every step (report/trend.ts). */
export type Verdict = 'reproduced' | 'partly' | 'not reproduced' | 'inconclusive';

export interface Finding {
  /** The claim's id (its finding definition's name). */
  id: string;
  /** The published claim being tested, in short. */
  claim: string;
  /** Setting the finding is about ('' when the report has one setting). */
  setting: string;
  text: string;
  verdict: Verdict;
}

export const MIN_SEEDS = 2;

/** Verdict for the claim "a is above b", from the two seed ranges. */
export function compareAbove(a: Spread, b: Spread): { verdict: Verdict; why: string } {
  if (a.n < MIN_SEEDS || b.n < MIN_SEEDS) {
    return {
      verdict: 'inconclusive',
      why: `fewer than ${MIN_SEEDS} seeds on a side, so seed spread is unknown`,
    };
  }
  if (a.min > b.max) return { verdict: 'reproduced', why: 'ranges do not overlap' };
  if (a.max < b.min)
    return { verdict: 'not reproduced', why: 'ranges do not overlap, in the opposite direction' };
  return { verdict: 'inconclusive', why: 'seed ranges overlap' };
}

export function describe(s: Spread, format: (v: number) => string): string {
  if (s.n === 1) return `${format(s.mean)} (1 seed)`;
  return `${format(s.mean)} (range ${format(s.min)}–${format(s.max)}, ${s.n} seeds)`;
}
