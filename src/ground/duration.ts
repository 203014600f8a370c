// Time left and how to say it: a sweep's ETA from its running runs' pace, shared by the terminal's
// progress line and the live page.

/** Where one run stands: steps done of its total, and its (smoothed) time a step. */
export interface RunPace {
  step: number;
  totalSteps: number;
  msPerStep?: number;
}

/**
 * Seconds until a sweep ends: the running runs' own remaining time, and `queued` runs more at the
 * running runs' mean length, shared among as many lanes as are running; NaN before any step time.
 */
export function sweepSecondsLeft(running: readonly RunPace[], queued: number): number {
  const timed = running.filter((p) => p.msPerStep !== undefined && p.totalSteps > 0);
  if (timed.length === 0) return NaN;
  const left = timed.reduce((s, p) => s + (p.totalSteps - p.step) * p.msPerStep!, 0) / 1000;
  const runLength = timed.reduce((s, p) => s + p.totalSteps * p.msPerStep!, 0) / 1000 / timed.length;
  return (left + Math.max(0, queued) * runLength) / running.length;
}

/** "45s", "3m05s", "2h07m"; '?' when not finite. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}
