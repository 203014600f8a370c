// gradflow run-one --spec-json JSON (hidden): the worker process behind `gradflow run`. Trains one
// run and reports progress to its parent over IPC. Exit 0: completed or diverged (both are
// results); WORKER_HELD_EXIT: another live process holds the run; otherwise the run failed (the
// trainer has written status 'failed' in its manifest, when the disk let it).
// The worker outlives its parent's pipes: when the parent is gone (Ctrl-C, kill -9) it stops at the
// next step boundary and writes its interrupt checkpoint instead of dying on EPIPE.
import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface Args {
  spec?: string;
  specJson?: string;
  results: string;
  backend?: string;
  threads?: number;
  retrain?: string;
}

function readSpec(args: Args): unknown {
  try {
    if (args.specJson !== undefined) return JSON.parse(args.specJson);
    if (args.spec !== undefined) return JSON.parse(readFileSync(args.spec, 'utf8'));
  } catch (err) {
    throw new UserError(`run-one: cannot read the run spec: ${(err as Error).message}`);
  }
  throw new UserError('run-one: give --spec FILE or --spec-json JSON');
}

const command: CommandModule<object, Args> = {
  command: 'run-one',
  describe: false, // internal: started by `gradflow run`
  builder: (y) =>
    y
      .option('spec', { type: 'string', describe: 'RunSpec JSON file' })
      .option('spec-json', { type: 'string', describe: 'RunSpec as JSON text' })
      .option('results', { type: 'string', demandOption: true, describe: 'results/<experiment> directory' })
      .option('backend', { type: 'string' })
      .option('threads', { type: 'number' })
      .option('retrain', { type: 'string' })
      .example('$0 run-one --spec /tmp/run.json --results results/quick', 'train one run of a sweep') as never,
  handler: async (args) => {
    // A closed pipe (the parent exited) must not kill the run before its checkpoint is written.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    let parentGone = false;
    process.on('disconnect', () => (parentGone = true));
    const spec = readSpec(args);
    const { runTraining, RunHeldError } = await import('../../train/run.js');
    const { parseRetrain } = await import('../../train/run-state.js');
    const { WORKER_HELD_EXIT } = await import('../../sweep/worker-process.js');
    const send = (message: unknown): void => {
      if (process.connected) process.send?.(message, undefined, undefined, () => {});
    };
    let manifest;
    let alreadyDone = false;
    try {
      manifest = await runTraining(spec as never, {
        resultsDir: args.results,
        backend: args.backend,
        threads: args.threads,
        quiet: true,
        retrain: parseRetrain(args.retrain),
        onProgress: (progress) => send({ type: 'progress', progress }),
        shouldStop: () => parentGone,
        onAlreadyDone: () => (alreadyDone = true),
      });
    } catch (err) {
      if (!(err instanceof RunHeldError)) throw err;
      process.stderr.write(`${err.message}\n`);
      process.exit(WORKER_HELD_EXIT);
    }
    send({ type: 'done', status: manifest.status, alreadyDone });
    // Let the last messages flush, then leave: an open IPC channel (or a backend's thread pool)
    // would otherwise keep this process alive.
    await new Promise((r) => setImmediate(r));
    if (process.connected) process.disconnect();
    process.exit(0);
  },
};

export default command;
