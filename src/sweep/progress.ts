// What a sweep shows while it runs: on a terminal one progress bar (runs done, the current runs'
// steps, ETA) with a line above it per finished run; elsewhere (logs, CI, Slurm output files)
// plain lines only. A failure is printed the moment its process ends.
import type { SweepEvent } from './run-sweep.js';
import type { Progress } from './worker-process.js';
import { describeHolder } from '../store/run-lock.js';
import { formatDuration, sweepSecondsLeft } from '../ground/duration.js';

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

export interface Reporter {
  onEvent(event: SweepEvent): void;
  stop(): void;
}

interface RunProgress extends Progress {
  /** Smoothed step time; the first steps (compilation, caches) would overstate the ETA. */
  msPerStep?: number;
}

/** "cifar-basic-d20-s1 470/1200, 131 ms/step, ETA 1m35s" */
export function describeRunProgress(id: string, p: RunProgress): string {
  if (p.totalSteps <= 0) return `${id} starting`;
  if (p.msPerStep === undefined) return `${id} ${p.step}/${p.totalSteps}`;
  const eta = ((p.totalSteps - p.step) * p.msPerStep) / 1000;
  return `${id} ${p.step}/${p.totalSteps}, ${p.msPerStep.toFixed(0)} ms/step, ETA ${formatDuration(eta)}`;
}

export interface ReporterOptions {
  /** A terminal: one live progress bar. Otherwise plain lines. Default: stdout is a TTY. */
  tty?: boolean;
  /** Plain mode: seconds between progress lines (one per running run, and the sweep's). */
  everySeconds?: number;
  /** Where plain lines go (tests); default console.log / console.error. */
  write?: (line: string, toStderr: boolean) => void;
}

/** Prints a sweep's events for `total` runs to be run (skipped ones announced once, before). */
export async function createReporter(total: number, opts: ReporterOptions = {}): Promise<Reporter> {
  const tty = opts.tty ?? Boolean(process.stdout.isTTY);
  const everyMs = 1000 * (opts.everySeconds ?? 30);
  const write = opts.write ?? ((line, toStderr) => (toStderr ? console.error : console.log)(line));
  const current = new Map<string, RunProgress>();
  let done = 0;
  const started = Date.now();
  let lastPlain = started;
  const print = (line: string, toStderr = false): void => {
    if (bar) multibar!.log(line + '\n');
    else write(line, toStderr);
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

  const sweepEta = (): { fraction: number; eta: number } => {
    let fraction = done;
    for (const p of current.values()) fraction += p.totalSteps > 0 ? p.step / p.totalSteps : 0;
    const paced = sweepSecondsLeft([...current.values()], total - done - current.size);
    if (Number.isFinite(paced)) return { fraction, eta: paced };
    // Before any step time: the runs done so far, extrapolated over the elapsed time.
    const elapsed = (Date.now() - started) / 1000;
    return { fraction, eta: fraction > 0 ? (elapsed * (total - fraction)) / fraction : NaN };
  };
  const refresh = (): void => {
    const { fraction, eta } = sweepEta();
    if (bar) {
      bar.update(Math.round((1000 * fraction) / total), {
        runs: `${done}/${total}`,
        remaining: formatDuration(eta),
        current: [...current.entries()].map(([id, p]) => describeRunProgress(id, p)).join(' | '),
      });
      return;
    }
    if (Date.now() - lastPlain < everyMs || current.size === 0) return;
    lastPlain = Date.now();
    for (const [id, p] of current) write(`progress ${describeRunProgress(id, p)}`, false);
    write(`sweep ${done}/${total} runs done, ETA ${formatDuration(eta)}`, false);
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
        case 'progress': {
          const before = current.get(event.spec.id);
          const { stepMs } = event.progress;
          const msPerStep =
            stepMs === undefined
              ? before?.msPerStep
              : before?.msPerStep === undefined
                ? stepMs
                : 0.9 * before.msPerStep + 0.1 * stepMs;
          current.set(event.spec.id, { ...event.progress, msPerStep });
          break;
        }
        case 'interrupted':
          current.delete(event.spec.id);
          print(`interrupted ${event.spec.id} at step ${event.step}, resumable`, true);
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
