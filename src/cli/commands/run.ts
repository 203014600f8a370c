// gradflow run <experiment.json>: every run of a sweep not finished yet, N processes at a time,
// or one shard of it for a cluster job array. Re-running continues where the last attempt stopped.
import { resolve, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface Args {
  experiment: string;
  workers: number;
  shard?: string;
  dryRun?: boolean;
  json?: boolean;
  only?: string;
  results: string;
  backend?: string;
  threads?: number;
}

const positiveInt = (name: string, value: number | undefined): void => {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new UserError(`--${name} must be a whole number >= 1, got ${value}`);
  }
};

const command: CommandModule<object, Args> = {
  command: 'run <experiment>',
  describe: 'Run every unfinished run of an experiment file (a depth sweep), resumably',
  builder: (y) =>
    y
      .positional('experiment', {
        type: 'string',
        demandOption: true,
        describe: 'experiment file (experiments/*.json)',
      })
      .option('workers', { type: 'number', default: 1, describe: 'runs at once, each in its own process' })
      .option('threads', { type: 'number', describe: 'backend threads per run (default: cores / workers)' })
      .option('shard', { type: 'string', describe: 'i/N: take run k where k mod N = i (job arrays)' })
      .option('only', { type: 'string', describe: 'only runs whose id matches this regular expression' })
      .option('dry-run', { type: 'boolean', describe: 'list the runs and their state; train nothing' })
      .option('json', { type: 'boolean', describe: 'with --dry-run: print [{id, config}] as JSON' })
      .option('results', {
        type: 'string',
        default: 'results',
        describe: 'results root; runs go to <results>/<experiment>/',
      })
      .option('backend', {
        type: 'string',
        describe: 'TF.js backend for every run (default: the fastest that works)',
      })
      .example('$0 run experiments/quick.json --workers 2', 'the quick sweep, two runs at a time')
      .example('$0 run experiments/he2015-cifar10.json --dry-run', 'list the runs and what is done')
      .example(
        '$0 run experiments/quick.json --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT',
        'one task of a job array',
      )
      .example('$0 run experiments/quick.json --only "plain-d(20|32)"', 'a subset by run id') as never,
  handler: async (args) => {
    positiveInt('workers', args.workers);
    positiveInt('threads', args.threads);
    if (args.json && !args.dryRun) throw new UserError('--json goes with --dry-run');
    let only: RegExp | undefined;
    if (args.only !== undefined) {
      try {
        only = new RegExp(args.only);
      } catch (err) {
        throw new UserError(`--only: not a regular expression: ${(err as Error).message}`);
      }
    }
    const { loadExperiment } = await import('../../sweep/load.js');
    const { parseShard, takeShard } = await import('../../sweep/shard.js');
    const { rootRunIds, sourceRunId, withSources } = await import('../../sweep/dependencies.js');
    const shard = args.shard !== undefined ? parseShard(args.shard) : undefined;

    const experiment = await loadExperiment(args.experiment);
    let specs = experiment.specs;
    // A selected transfer run brings the run it starts from; a shard keeps them together.
    if (only) specs = withSources(specs.filter((s) => only.test(s.id)), experiment.specs);
    if (shard) specs = takeShard(specs, shard, rootRunIds(specs));
    const experimentDir = join(resolve(args.results), experiment.name);

    const { runOnDisk, runSweep, stopAllWorkers } = await import('../../sweep/run-sweep.js');
    if (args.dryRun) {
      if (args.json) {
        console.log(
          JSON.stringify(
            specs.map((s) => ({ id: s.id, config: s.config })),
            null,
            2,
          ),
        );
        return;
      }
      const width = Math.max(0, ...specs.map((s) => s.id.length));
      for (const s of specs) {
        const disk = runOnDisk(experimentDir, s.id);
        const state =
          disk.state === 'done'
            ? disk.status
            : disk.state === 'resume'
              ? `resume at step ${disk.step}`
              : disk.state === 'retry'
                ? 'failed, will retry'
                : 'to run';
        const source = sourceRunId(s.config);
        console.log(`${s.id.padEnd(width)}  ${state}${source ? ` (after ${source})` : ''}`);
      }
      console.log(
        `${specs.length} runs${shard ? ` in shard ${shard.index}/${shard.count}` : ''} of ${experiment.specs.length} in ${experiment.name}; results in ${experimentDir}`,
      );
      return;
    }

    const todo = specs.filter((s) => runOnDisk(experimentDir, s.id).state !== 'done').length;
    console.log(
      `${experiment.name}: ${specs.length} runs, ${specs.length - todo} already done, ${todo} to run with ${args.workers} worker(s); results in ${experimentDir}`,
    );
    const { createReporter } = await import('../../sweep/progress.js');
    const reporter = await createReporter(todo);
    const stop = (signal: NodeJS.Signals): void => {
      stopAllWorkers('SIGTERM');
      reporter.stop();
      console.error(`\ninterrupted (${signal}); run the same command again to continue`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    const outcome = await runSweep(specs, {
      experimentDir,
      workers: args.workers,
      threads: args.threads,
      backend: args.backend,
      onEvent: (e) => reporter.onEvent(e),
    });
    reporter.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (specs.length)
      console.log(
        `summary: ${join(experimentDir, 'summary.csv')}, ${join(experimentDir, 'summary-by-config.csv')}`,
      );
    if (outcome.failed.length) {
      // A failed run is not the user's input being wrong: exit 1, and name the runs to look at.
      throw new Error(
        `${outcome.failed.length} of ${specs.length} runs failed: ${outcome.failed.join(', ')}; re-run to retry them`,
      );
    }
  },
};

export default command;
