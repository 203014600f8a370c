// How sure a comparison of two groups of seeds is. With 3 seeds a side, "the ranges do not overlap"
// says nothing about size and no rank test can reach p < 0.05; the difference of means with its
// Welch t interval does (Welch: the two groups' variances are not assumed equal, and at n = 3 a
// bootstrap interval is too narrow because it resamples only the values seen). Beside it the
// probability of improvement (Mann-Whitney U / n·m), and for an interval that spans zero the seeds a
// side that would resolve a difference of the size observed (a power estimate).
import jStat from 'jstat';

export interface Interval {
  /** mean(a) - mean(b) */
  difference: number;
  low: number;
  high: number;
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** The `level` (default 95%) Welch t interval of mean(a) - mean(b); null with fewer than 2 values a side. */
export function welchInterval(a: readonly number[], b: readonly number[], level = 0.95): Interval | null {
  if (a.length < 2 || b.length < 2) return null;
  const difference = mean(a) - mean(b);
  const [va, vb] = [variance(a) / a.length, variance(b) / b.length];
  const se = Math.sqrt(va + vb);
  if (se === 0) return { difference, low: difference, high: difference, df: Infinity };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = jStat.studentt.inv(1 - (1 - level) / 2, df);
  return { difference, low: difference - t * se, high: difference + t * se, df };
}

/** P(a value of a > a value of b) over all pairs, ties counting one half: Mann-Whitney U / (n·m). */
export function probabilityAbove(a: readonly number[], b: readonly number[]): number {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x > y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
}

/**
 * Seeds a side that would give a two-sided 5% t test 80% power against a true difference the size of
 * the one observed, at the observed spread: the smallest n with 2 s^2 (t(.975, 2n-2) + t(.8, 2n-2))^2 / n
 * <= d^2, s^2 the mean of the two variances (t quantiles, not normal ones, which promise too few seeds at
 * this scale); null when nothing differs, or beyond 10,000.
 */
export function seedsToResolve(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 2 || b.length < 2) return null;
  const d = mean(a) - mean(b);
  const s2 = (variance(a) + variance(b)) / 2;
  if (d === 0 || !Number.isFinite(d)) return null;
  for (let n = 2; n <= 10_000; n++) {
    const df = 2 * n - 2;
    const t = jStat.studentt.inv(0.975, df) + jStat.studentt.inv(0.8, df);
    if ((2 * s2 * t * t) / n <= d * d) return n;
  }
  return null;
}
