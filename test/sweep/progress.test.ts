// What a sweep prints while it runs, away from a terminal: each running run's step of total, smoothed
// step time and ETA, then the sweep's ETA, at most once per interval; an interrupt is not a failure.
import { createReporter } from '../../src/sweep/progress.js';
import type { SweepRunSpec } from '../../src/sweep/load.js';

const spec = (id: string) => ({ id }) as SweepRunSpec;

test('plain progress lines: step of total, step time, ETA per run and for the sweep; interrupted is said as such', async () => {
  const lines: [string, boolean][] = [];
  const reporter = await createReporter(2, {
    tty: false,
    everySeconds: 0,
    write: (line, toStderr) => lines.push([line, toStderr]),
  });
  reporter.onEvent({ type: 'start', spec: spec('a'), state: { kind: 'new' } });
  reporter.onEvent({
    type: 'progress',
    spec: spec('a'),
    progress: { step: 1, totalSteps: 101, stepMs: 200 },
  });
  // smoothed: 0.9 * 200 + 0.1 * 100 = 190 ms, 90 steps left -> 17.1 s
  reporter.onEvent({
    type: 'progress',
    spec: spec('a'),
    progress: { step: 11, totalSteps: 101, stepMs: 100 },
  });
  reporter.onEvent({ type: 'interrupted', spec: spec('a'), step: 11 });
  reporter.stop();
  const text = lines.map(([l]) => l);
  expect(text[0]).toBe('start a');
  expect(text).toContain('progress a 1/101, 200 ms/step, ETA 20s');
  expect(text).toContain('progress a 11/101, 190 ms/step, ETA 17s');
  // the sweep: a's 17.1 s left, and one queued run of a's length (101 x 190 ms = 19.2 s), one lane
  expect(text).toContain('sweep 0/2 runs done, ETA 36s');
  expect(lines.at(-1)).toEqual(['interrupted a at step 11, resumable', true]);
  expect(text.some((l) => /FAILED/.test(l))).toBe(false);
});

test('progress lines wait for the interval', async () => {
  const lines: string[] = [];
  const reporter = await createReporter(1, { tty: false, everySeconds: 3600, write: (l) => lines.push(l) });
  reporter.onEvent({ type: 'start', spec: spec('a'), state: { kind: 'resume', step: 4 } });
  reporter.onEvent({ type: 'progress', spec: spec('a'), progress: { step: 5, totalSteps: 10, stepMs: 50 } });
  expect(lines).toEqual(['start a (resuming from step 4)']);
});
