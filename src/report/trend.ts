// A claim about a trend with depth ("deeper plain nets reach higher training error") read at every
// depth, not only at the two ends: each adjacent pair of depths is compared on the 95% Welch interval
// of the difference of their seed means (verdict.ts).
// - reproduced: the trend holds at every step, each interval excluding 0;
// - partly: it holds end to end (shallowest vs deepest) but not at every step; the steps that break
//   it are named with their intervals;
// - not reproduced: end to end it is reversed, the interval excluding 0 the other way;
// - not established: end to end the interval spans 0 (or a side has fewer than two seeds).
import type { Spread } from './aggregate.js';
import { compareAbove, describe, type Verdict } from './verdict.js';

export type Direction = 'rises' | 'falls';

export interface TrendStep {
  from: number;
  to: number;
  verdict: Verdict; // of the claim at this step
  why: string;
  /** The difference in the claimed direction and its 95% interval, "2.4% [1.9%, 2.8%]". */
  short: string;
}

export interface Trend {
  verdict: Verdict;
  steps: TrendStep[];
  /** One clause: what the steps show, naming the depths that break the trend. */
  summary: string;
}

/**
 * `a` then `b` (deeper): does the value move in `direction`? The difference is taken in the claimed
 * direction (deeper minus shallower for 'rises', shallower minus deeper for 'falls'): positive supports it.
 */
function step(
  a: Spread,
  b: Spread,
  direction: Direction,
  format?: (v: number) => string,
): { verdict: Verdict; why: string; short: string } {
  return direction === 'rises' ? compareAbove(b, a, format) : compareAbove(a, b, format);
}

/** The trend over depths in ascending order; null with fewer than two depths. */
export function depthTrend(
  values: Map<number, Spread>,
  direction: Direction,
  format?: (v: number) => string,
): Trend | null {
  const depths = [...values.keys()].sort((a, b) => a - b);
  if (depths.length < 2) return null;
  const steps = depths.slice(1).map((to, i) => {
    const from = depths[i];
    return { from, to, ...step(values.get(from)!, values.get(to)!, direction, format) };
  });
  const [first, last] = [depths[0], depths[depths.length - 1]];
  const ends = step(values.get(first)!, values.get(last)!, direction, format);
  const opposite = direction === 'rises' ? 'falls' : 'rises';
  const broken = steps.filter((s) => s.verdict !== 'reproduced');
  const describeSteps = (list: TrendStep[]) =>
    list
      .map((s) =>
        s.short === s.why
          ? `${s.from} → ${s.to} (${s.why})`
          : s.verdict === 'not reproduced'
            ? `${s.from} → ${s.to} ${opposite} (${s.short})`
            : `${s.from} → ${s.to} by ${s.short}`,
      )
      .join(', ');

  let verdict: Verdict;
  let summary: string;
  if (broken.length === 0) {
    verdict = 'reproduced';
    summary =
      steps.length === 1
        ? `${direction} from ${first} to ${last} (${ends.why})`
        : `${direction} at every step (${describeSteps(steps)}; end to end ${ends.why})`;
  } else if (ends.verdict === 'reproduced') {
    verdict = 'partly';
    summary = `${direction} from ${first} to ${last} (${ends.why}) but not at every step: ${describeSteps(broken)}`;
  } else if (ends.verdict === 'not reproduced') {
    verdict = 'not reproduced';
    // A step whose interval spans 0 (or lacks seeds) is unclear, not evidence against the claim.
    const against = broken.filter((s) => s.verdict === 'not reproduced');
    const unclear = broken.filter((s) => s.verdict !== 'not reproduced');
    summary = `${opposite} from ${first} to ${last} (${ends.why})`;
    if (steps.length > 1) {
      if (against.length > 0) summary += `; steps against the claim: ${describeSteps(against)}`;
      if (unclear.length > 0) summary += `; unclear steps: ${describeSteps(unclear)}`;
    }
  } else {
    verdict = 'not established';
    summary =
      `shows no clear trend from ${first} to ${last} (${ends.why})` +
      (steps.length > 1
        ? `; steps: ${steps.map((s) => `${s.from} → ${s.to} ${s.verdict === 'reproduced' ? direction : s.verdict === 'not reproduced' ? opposite : 'unclear'}`).join(', ')}`
        : '');
  }
  return { verdict, steps, summary };
}

/** "plain-20 13.5% (range …) → plain-32 … → plain-56 …": every depth's value. */
export function describeByDepth(
  values: Map<number, Spread>,
  label: (depth: number) => string,
  format: (v: number) => string,
): string {
  return [...values.keys()]
    .sort((a, b) => a - b)
    .map((d) => `${label(d)} ${describe(values.get(d)!, format)}`)
    .join(' → ');
}
