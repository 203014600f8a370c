// What a sweep shows while it runs: on a terminal one progress bar (runs done, the current runs'
// steps, ETA) with a line above it per finished run; elsewhere (logs, CI, Slurm output files)
// plain lines only. A failure is printed the moment its process ends.
import type { SweepEvent } from './run-sweep.js';
import type { Progress } from './worker-process.js';
import { describeHolder } from '../store/run-lock.js';

const pct = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? '?' : `${(100 * x).toFixed(1)}%`;

export function finishLine(event: Extract<SweepEvent, { type: 'finish' }>): string {
  const { spec, manifest, exit } = event;
  const wall = manifest?.wallSeconds !== undefined ? ` in ${manifest.wallSeconds.toFixed(1)} s` : '';
  if (event.failed) {
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    const reason = manifest?.statusReason ? `: ${manifest.statusReason}` : '';
    const tail = exit.outputTail
      .trim()
      .split('\n')
      .slice(-8)
      .map((l) => `    ${l}`)
      .join('\n');
    return `FAILED ${spec.id} (${how})${reason}${tail ? `\n${tail}` : ''}`;
  }
  const errors = `train error ${pct(manifest?.final?.trainError)}, test error ${pct(manifest?.final?.testError)}`;
  if (manifest?.status === 'diverged') {
    return `diverged ${spec.id} at step ${manifest.statusStep ?? manifest.steps}${wall} (${manifest.statusReason ?? 'non-finite loss'})`;
  }
  return `done ${spec.id}${wall}: ${errors}`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

export interface Reporter {
  onEvent(event: SweepEvent): void;
  stop(): void;
}

/** Prints a sweep's events for `total` runs to be run (skipped ones announced once, before). */
export async function createReporter(total: number, tty = Boolean(process.stdout.isTTY)): Promise<Reporter> {
  const current = new Map<string, Progress>();
  let done = 0;
  const started = Date.now();
  const print = (line: string, toStderr = false): void => {
    if (bar) multibar!.log(line + '\n');
    else (toStderr ? console.error : console.log)(line);
  };

  let multibar: import('cli-progress').MultiBar | undefined;
  let bar: import('cli-progress').SingleBar | undefined;
  if (tty && total > 0) {
    const { default: cliProgress } = await import('cli-progress');
    multibar = new cliProgress.MultiBar(
      {
        format: '{bar} {runs} runs | ETA {remaining} | {current}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    bar = multibar.create(1000, 0, { runs: `0/${total}`, remaining: '?', current: '' });
  }

  // Progress in runs, counting the started runs' fraction of steps; the ETA extrapolates it.
  const refresh = (): void => {
    if (!bar) return;
    let fraction = done;
    for (const p of current.values()) fraction += p.totalSteps > 0 ? p.step / p.totalSteps : 0;
    const elapsed = (Date.now() - started) / 1000;
    const eta = fraction > 0 ? (elapsed * (total - fraction)) / fraction : NaN;
    const running = [...current.entries()]
      .map(([id, p]) => (p.totalSteps > 0 ? `${id} ${p.step}/${p.totalSteps}` : `${id} starting`))
      .join(', ');
    bar.update(Math.round((1000 * fraction) / total), {
      runs: `${done}/${total}`,
      remaining: formatDuration(eta),
      current: running,
    });
  };

  return {
    onEvent(event) {
      switch (event.type) {
        case 'skip':
          if (!event.byAnother) break; // finished before this sweep began: announced in its first line
          current.delete(event.spec.id);
          done += 1;
          print(
            `skipped ${event.spec.id}: another process finished it meanwhile (${event.status ?? 'done'})`,
          );
          break;
        case 'start': {
          const { state } = event;
          const step = state.kind === 'resume' ? state.step : state.kind === 'retry' ? (state.step ?? 0) : 0;
          current.set(event.spec.id, { step, totalSteps: 0 });
          const how =
            state.kind === 'resume'
              ? ` (resuming from step ${state.step})`
              : state.kind === 'retry'
                ? ` (retrying a failed run${state.step !== null ? ` from step ${state.step}` : ''})`
                : state.kind === 'changed' || state.kind === 'unknown'
                  ? ' (retraining: its old results belonged to another configuration)'
                  : state.kind === 'damaged'
                    ? ' (retraining: its files were damaged)'
                    : '';
          if (!bar) print(`start ${event.spec.id}${how}`);
          break;
        }
        case 'held':
          done += 1;
          print(
            `left ${event.spec.id} to ${event.holder ? describeHolder(event.holder) : 'another process'}, which is training it`,
          );
          break;
        case 'damaged':
          done += 1;
          print(`not run ${event.spec.id}: ${event.state.file}: ${event.state.reason}`, true);
          break;
        case 'progress':
          current.set(event.spec.id, event.progress);
          break;
        case 'finish':
          current.delete(event.spec.id);
          done += 1;
          print(finishLine(event), event.failed);
          break;
        case 'blocked':
          done += 1;
          print(
            `not run ${event.spec.id}: its source run ${event.source} is ${event.sourceStatus}, not completed`,
            true,
          );
          break;
      }
      refresh();
    },
    stop() {
      multibar?.update(); // prints the lines still buffered by log()
      multibar?.stop();
    },
  };
}
