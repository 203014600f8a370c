// Progress of one training run: a live bar on a terminal, plain periodic lines otherwise (logs, CI).
import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../train/trainer.js';

export interface RunProgress {
  update(p: ProgressEvent): void;
  stop(): void;
}

const fmt = (p: ProgressEvent) =>
  `loss ${p.loss.toFixed(3)}  error ${(100 * p.error).toFixed(1)}%  ${p.stepMs.toFixed(0)} ms/step`;

export function runProgress(label: string, stream: NodeJS.WriteStream = process.stderr): RunProgress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} steps | {stats} | ETA {eta_formatted}`,
        stream,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        if (!started) bar.start(p.totalSteps, 0, { stats: '' });
        started = true;
        bar.update(p.step, { stats: fmt(p) });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastLine = 0;
  const t0 = Date.now();
  return {
    update(p) {
      const now = Date.now();
      if (now - lastLine < 10_000 && p.step !== p.totalSteps && p.step !== 1) return;
      lastLine = now;
      const eta = ((now - t0) / 1000 / p.step) * (p.totalSteps - p.step);
      stream.write(`${label} step ${p.step}/${p.totalSteps}  ${fmt(p)}  ETA ${eta.toFixed(0)}s\n`);
    },
    stop() {},
  };
}
