// gradflow run-one --spec FILE (hidden): the worker process behind `gradflow run`. Trains one run
// and reports progress to its parent over IPC. Exit 0: completed or diverged (both are results);
// non-zero: the run failed (the trainer has written status 'failed' in its manifest).
import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface Args {
  spec: string;
  results: string;
  backend?: string;
  threads?: number;
}

const command: CommandModule<object, Args> = {
  command: 'run-one',
  describe: false, // internal: started by `gradflow run`
  builder: (y) =>
    y
      .option('spec', { type: 'string', demandOption: true, describe: 'RunSpec JSON file' })
      .option('results', { type: 'string', demandOption: true, describe: 'results/<experiment> directory' })
      .option('backend', { type: 'string' })
      .option('threads', { type: 'number' })
      .example(
        '$0 run-one --spec /tmp/run.json --results results/quick',
        'train one run of a sweep',
      ) as never,
  handler: async (args) => {
    let spec;
    try {
      spec = JSON.parse(readFileSync(args.spec, 'utf8'));
    } catch (err) {
      throw new UserError(`run-one: cannot read --spec ${args.spec}: ${(err as Error).message}`);
    }
    const { runTraining } = await import('../../train/run.js');
    const send = (message: unknown): void => {
      if (process.connected) process.send?.(message);
    };
    const manifest = await runTraining(spec, {
      resultsDir: args.results,
      backend: args.backend,
      threads: args.threads,
      quiet: true,
      onProgress: (progress) => send({ type: 'progress', progress }),
    });
    send({ type: 'done', status: manifest.status });
    // Let the last messages flush, then leave: an open IPC channel (or a backend's thread pool)
    // would otherwise keep this process alive.
    await new Promise((r) => setImmediate(r));
    process.disconnect?.();
    process.exit(0);
  },
};

export default command;
