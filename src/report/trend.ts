// A claim about a trend with depth ("deeper plain nets reach higher training error") read at every
// depth, not only at the two ends: each adjacent pair of depths is compared with its seed ranges.
// - reproduced: the trend holds at every step, ranges apart;
// - partly: it holds end to end (shallowest vs deepest, ranges apart) but not at every step; the
//   steps that break it are named;
// - not reproduced: end to end it is reversed, ranges apart;
// - inconclusive: end to end the ranges overlap (or a side has fewer than two seeds).
import type { Spread } from './aggregate.js';
import { compareAbove, describe, type Verdict } from './verdict.js';

export type Direction = 'rises' | 'falls';

export interface TrendStep {
  from: number;
  to: number;
  verdict: Verdict; // of the claim at this step
  why: string;
}

export interface Trend {
  verdict: Verdict;
  steps: TrendStep[];
  /** One clause: what the steps show, naming the depths that break the trend. */
  summary: string;
}

/** `a` then `b` (deeper): does the value move in `direction`? */
function step(a: Spread, b: Spread, direction: Direction): { verdict: Verdict; why: string } {
  return direction === 'rises' ? compareAbove(b, a) : compareAbove(a, b);
}

/** The trend over depths in ascending order; null with fewer than two depths. */
export function depthTrend(values: Map<number, Spread>, direction: Direction): Trend | null {
  const depths = [...values.keys()].sort((a, b) => a - b);
  if (depths.length < 2) return null;
  const steps = depths.slice(1).map((to, i) => {
    const from = depths[i];
    return { from, to, ...step(values.get(from)!, values.get(to)!, direction) };
  });
  const [first, last] = [depths[0], depths[depths.length - 1]];
  const ends = step(values.get(first)!, values.get(last)!, direction);
  const opposite = direction === 'rises' ? 'falls' : 'rises';
  const broken = steps.filter((s) => s.verdict !== 'reproduced');
  const describeSteps = (list: TrendStep[]) =>
    list
      .map(
        (s) =>
          `${s.from} → ${s.to} (${s.verdict === 'not reproduced' ? `${opposite}, ranges apart` : s.why})`,
      )
      .join(', ');

  let verdict: Verdict;
  let summary: string;
  if (broken.length === 0) {
    verdict = 'reproduced';
    summary =
      steps.length === 1
        ? `${direction} from ${first} to ${last} (${ends.why})`
        : `${direction} at every step, seed ranges apart`;
  } else if (ends.verdict === 'reproduced') {
    verdict = 'partly';
    summary = `${direction} from ${first} to ${last} (ranges apart) but not at every step: ${describeSteps(broken)}`;
  } else if (ends.verdict === 'not reproduced') {
    verdict = 'not reproduced';
    // A step whose ranges overlap (or lack seeds) is unclear, not evidence against the claim.
    const against = broken.filter((s) => s.verdict === 'not reproduced');
    const unclear = broken.filter((s) => s.verdict !== 'not reproduced');
    summary = `${opposite} from ${first} to ${last} (ranges apart)`;
    if (steps.length > 1) {
      if (against.length > 0) summary += `; steps against the claim: ${describeSteps(against)}`;
      if (unclear.length > 0) summary += `; unclear steps: ${describeSteps(unclear)}`;
    }
  } else {
    verdict = 'inconclusive';
    summary =
      `shows no clear trend from ${first} to ${last} (${ends.why})` +
      (steps.length > 1
        ? `; steps: ${steps.map((s) => `${s.from} → ${s.to} ${s.verdict === 'reproduced' ? direction : s.verdict === 'not reproduced' ? opposite : 'overlaps'}`).join(', ')}`
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
