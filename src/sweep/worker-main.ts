// The worker process behind `gradflow run`: `node dist/sweep/worker-main.js --spec-json JSON
// --results DIR [--threads N] [--backend NAME] [--retrain KINDS] [--allow-numerics-change]`. Trains one run and reports
// progress to its parent over IPC. Exit 0: completed or diverged (both are results);
// WORKER_HELD_EXIT: another live process holds the run; 2: a user's mistake; 1: the run failed
// (the trainer has written status 'failed' in its manifest, when the disk let it).
// The worker outlives its parent's pipes: when the parent is gone (Ctrl-C, kill -9) it stops at the
// next step boundary and writes its interrupt checkpoint instead of dying on EPIPE.
import { parseArgs } from 'node:util';
import { exitCodeOf } from '../ground/errors.js';
import { WORKER_HELD_EXIT, type WorkerMessage } from './worker-process.js';

// A closed pipe (the parent exited) must not kill the run before its checkpoint is written.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
let parentGone = false;
process.on('disconnect', () => (parentGone = true));

const send = (message: WorkerMessage): void => {
  if (process.connected) process.send?.(message, undefined, undefined, () => {});
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'spec-json': { type: 'string' },
      results: { type: 'string' },
      threads: { type: 'string' },
      backend: { type: 'string' },
      retrain: { type: 'string' },
      'allow-numerics-change': { type: 'boolean' },
    },
  });
  if (values['spec-json'] === undefined || values.results === undefined) {
    process.stderr.write('worker-main: --spec-json and --results are required\n');
    return 2;
  }
  const { runTraining, RunHeldError } = await import('../train/run.js');
  const { parseRetrain } = await import('../train/run-state.js');
  let alreadyDone = false;
  try {
    const manifest = await runTraining(JSON.parse(values['spec-json']), {
      resultsDir: values.results,
      backend: values.backend,
      threads: values.threads === undefined ? undefined : Number(values.threads),
      quiet: true,
      retrain: parseRetrain(values.retrain),
      allowNumericsChange: values['allow-numerics-change'],
      onProgress: (progress) => send({ type: 'progress', progress }),
      shouldStop: () => parentGone,
      onAlreadyDone: () => (alreadyDone = true),
    });
    send({ type: 'done', status: manifest.status, alreadyDone });
    return 0;
  } catch (err) {
    process.stderr.write(`gradflow: ${(err as Error).message}\n`);
    if (process.env.GRADFLOW_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return err instanceof RunHeldError ? WORKER_HELD_EXIT : exitCodeOf(err);
  }
}

const code = await main();
// Let the last messages flush, then leave: an open IPC channel (or a backend's thread pool)
// would otherwise keep this process alive.
await new Promise((r) => setImmediate(r));
if (process.connected) process.disconnect();
process.exit(code);
