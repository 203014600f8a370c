// The statistics behind every comparing verdict, against answers known from elsewhere: R's t.test
// (Welch) on its `sleep` data and on a small hand-checked case, Mann-Whitney's U, power.t.test's n.
import { probabilityAbove, seedsToResolve, welchInterval } from '../../src/report/statistics.js';
import { compareAbove } from '../../src/report/verdict.js';
import { formatPct, spread } from '../../src/report/aggregate.js';

// R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, 95% CI -3.3654832 0.2054832
const SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

test("Welch's interval equals R's t.test on the sleep data and on 1,2,3 vs 4,5,6", () => {
  const sleep = welchInterval(SLEEP_1, SLEEP_2)!;
  expect(sleep.difference).toBeCloseTo(-1.58, 10);
  expect(sleep.df).toBeCloseTo(17.776, 3);
  expect(sleep.low).toBeCloseTo(-3.3654832, 5);
  expect(sleep.high).toBeCloseTo(0.2054832, 5);
  // t.test(c(1,2,3), c(4,5,6)): df 4, 95% CI -5.266958 -0.733042
  const small = welchInterval([1, 2, 3], [4, 5, 6])!;
  expect(small.df).toBeCloseTo(4, 10);
  expect(small.low).toBeCloseTo(-5.266958, 5);
  expect(small.high).toBeCloseTo(-0.733042, 5);
  expect(welchInterval([1], [2, 3])).toBeNull();
});

test('P(above) is U / (n m) with ties counting one half; the seeds to resolve a difference grow as it shrinks', () => {
  expect(probabilityAbove([4, 5, 6], [1, 2, 3])).toBe(1);
  expect(probabilityAbove([1, 2, 3], [4, 5, 6])).toBe(0);
  expect(probabilityAbove([1, 2], [2, 1])).toBe(0.5); // 1>1? tie .5, 1>2 no, 2>2 tie .5, 2>1 yes: 2/4
  // R: power.t.test(delta = 1, sd = 1, power = 0.8) gives n = 16.71 a group; delta = 0.5 gives 63.77.
  expect(seedsToResolve([0, 1, 2], [-1, 0, 1])).toBe(17);
  expect(seedsToResolve([0, 1, 2], [-0.5, 0.5, 1.5])).toBe(64);
  expect(seedsToResolve([0, 1, 2], [0, 1, 2])).toBeNull();
});

test('compareAbove: reproduced only when the interval excludes 0 the claimed way, not established when it spans 0', () => {
  const high = spread([0.2, 0.21, 0.205]);
  const low = spread([0.1, 0.11, 0.105]);
  expect(compareAbove(high, low).verdict).toBe('reproduced');
  expect(compareAbove(low, high).verdict).toBe('not reproduced');
  // Ranges apart but two seeds each and wide: the interval (df ~ 1.9) spans 0.
  const spanning = compareAbove(spread([0.1, 0.3]), spread([0.0, 0.05]));
  expect(spanning.verdict).toBe('not established');
  expect(spanning.why).toMatch(/spans 0; ~\d+ seeds a side would resolve a difference this size$/);
  expect(compareAbove(spread([0.9]), spread([0.1])).verdict).toBe('not established');
  expect(compareAbove(high, low, (v) => `${(100 * v).toFixed(1)}%`).why).toBe(
    'difference 10.0%, 95% interval 8.9% to 11.1% (Welch, 3 vs 3 seeds), P(above) 1.00',
  );
});

test('percentages keep one decimal, and two below 1% where tenths of a point are the result', () => {
  expect(formatPct(0.0866)).toBe('8.7%');
  expect(formatPct(0.00088)).toBe('0.09%');
  expect(formatPct(-0.003)).toBe('-0.30%');
  expect(formatPct(0.009997)).toBe('1.0%');
  expect(formatPct(0)).toBe('0.0%');
  expect(formatPct(NaN)).toBe('n/a');
});
