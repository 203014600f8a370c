// gradflow lesion <results/exp | results/exp/run>...: the lesion study of each completed run with a
// checkpoint: test error with each block deleted in turn and with k random blocks deleted, written
// to <run>/lesion.csv (skipped when it is up to date) for the report's lesion figure and finding.
import type { CommandModule } from 'yargs';
import { UserError } from '../../ground/errors.js';
import { runDirs } from '../run-dirs.js';

interface Args {
  paths: string[];
  examples: number;
  maxK: number;
  draws: number;
  seed: number;
  force?: boolean;
  backend?: string;
  threads?: number;
}

const positive = (name: string, v: number, min: number): void => {
  if (!Number.isInteger(v) || v < min)
    throw new UserError(`--${name} must be a whole number >= ${min}, got ${v}`);
};

const command: CommandModule<object, Args> = {
  command: 'lesion <paths..>',
  describe:
    'Lesion study: test error with blocks deleted from trained nets (Veit et al. 2016), into lesion.csv',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'results/<exp> or run dirs',
      })
      .option('examples', { type: 'number', default: 2000, describe: 'test examples scored per lesion' })
      .option('max-k', {
        type: 'number',
        default: 10,
        describe: 'most blocks deleted at once (random study)',
      })
      .option('draws', { type: 'number', default: 5, describe: 'random draws of k blocks per k' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the draws' })
      .option('force', { type: 'boolean', describe: 'recompute lesion.csv even when it is up to date' })
      .option('backend', { type: 'string', describe: 'force a backend (gradflow backends lists them)' })
      .option('threads', { type: 'number', describe: 'backend threads (default: all cores)' })
      .example('$0 lesion results/fashion-mnist-degradation', 'every completed run of an experiment')
      .example(
        '$0 lesion results/quick/cifar-basic-d32-s0 --examples 256 --draws 3',
        'one run, quickly',
      ) as never,
  handler: async (args) => {
    positive('examples', args.examples, 1);
    positive('max-k', args.maxK, 0);
    positive('draws', args.draws, 1);
    positive('seed', args.seed, 0);
    const dirs = runDirs(args.paths);
    const settings = { examples: args.examples, maxK: args.maxK, draws: args.draws, seed: args.seed };
    const { initEngine } = await import('../../engine/index.js');
    await initEngine({ backend: args.backend, threads: args.threads });
    const { analyseRuns } = await import('../../analysis/analysis.js');
    const { lesionAnalysis } = await import('../../analysis/lesion.js');
    await analyseRuns(lesionAnalysis, dirs, settings, {
      force: args.force,
      log: (line) => console.log(line),
    });
  },
};

export default command;
