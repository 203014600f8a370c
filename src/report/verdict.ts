// What a finding is and how a verdict accounts for seed spread: a comparison of two groups of seeds
// is judged on the 95% Welch interval of the difference of their means (report/statistics.ts), not
// on whether their ranges overlap; it needs at least two seeds on each side.
import type { Spread } from './aggregate.js';
import { probabilityAbove, seedsToResolve, welchInterval } from './statistics.js';

/**
 * 'partly': a trend with depth that holds end to end but not at every step (report/trend.ts).
 * 'not established': the interval spans zero (or a side has too few seeds): neither way is shown.
 */
export type Verdict = 'reproduced' | 'partly' | 'not reproduced' | 'not established';

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

const threeDigits = (v: number): string =>
  Math.abs(v) >= 1e-3 || v === 0 ? v.toPrecision(3) : v.toExponential(2);

/**
 * Verdict for the claim "a is above b": reproduced when the 95% Welch interval of mean(a) - mean(b)
 * lies above zero, not reproduced when below, not established when it spans zero (saying how many
 * seeds a side would resolve a difference of the size seen). `why` gives the difference, its interval
 * and P(a > b) over seed pairs, in `format` (a difference of errors reads in points); `short` the
 * difference and interval alone, "2.4% [1.9%, 2.8%]".
 */
export function compareAbove(
  a: Spread,
  b: Spread,
  format: (v: number) => string = threeDigits,
): { verdict: Verdict; why: string; short: string } {
  const interval = welchInterval(a.values, b.values);
  if (a.n < MIN_SEEDS || b.n < MIN_SEEDS || interval === null) {
    const why = `fewer than ${MIN_SEEDS} seeds on a side, so seed spread is unknown`;
    return { verdict: 'not established', why, short: why };
  }
  const short = `${format(interval.difference)} [${format(interval.low)}, ${format(interval.high)}]`;
  const p = probabilityAbove(a.values, b.values);
  const numbers =
    `difference ${format(interval.difference)}, 95% interval ${format(interval.low)} to ${format(interval.high)} ` +
    `(Welch, ${a.n} vs ${b.n} seeds), P(above) ${p.toFixed(2)}`;
  if (interval.low > 0) return { verdict: 'reproduced', why: numbers, short };
  if (interval.high < 0) return { verdict: 'not reproduced', why: `${numbers}: the other way`, short };
  const seeds = seedsToResolve(a.values, b.values);
  return {
    verdict: 'not established',
    why: `${numbers}: spans 0${seeds !== null ? `; ~${seeds} seeds a side would resolve a difference this size` : ''}`,
    short,
  };
}

export function describe(s: Spread, format: (v: number) => string): string {
  if (s.n === 1) return `${format(s.mean)} (1 seed)`;
  return `${format(s.mean)} (range ${format(s.min)}–${format(s.max)}, ${s.n} seeds)`;
}
