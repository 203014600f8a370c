// gradflow landscape <results/exp | results/exp/run>...: the loss landscape of each completed run
// with a checkpoint (Li et al. 2018): 1-D and 2-D slices of the training loss along seeded,
// filter-normalised random directions, written to <run>/landscape.csv for the report.
import type { CommandModule } from 'yargs';
import { UserError } from '../../ground/errors.js';
import { runDirs } from '../run-dirs.js';

interface Args {
  paths: string[];
  points: number;
  grid: number;
  range: number;
  examples: number;
  seed: number;
  force?: boolean;
  backend?: string;
  threads?: number;
}

const command: CommandModule<object, Args> = {
  command: 'landscape <paths..>',
  describe:
    'Loss landscape: the training loss around trained nets along filter-normalised directions (Li et al. 2018)',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'results/<exp> or run dirs',
      })
      .option('points', { type: 'number', default: 21, describe: '1-D slice: points from -range to +range' })
      .option('grid', { type: 'number', default: 11, describe: '2-D slice: points per axis (0: none)' })
      .option('range', { type: 'number', default: 1, describe: 'largest |alpha|, |beta|' })
      .option('examples', { type: 'number', default: 512, describe: 'training examples in the fixed subset' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the directions and the subset' })
      .option('force', { type: 'boolean', describe: 'recompute landscape.csv even when it is up to date' })
      .option('backend', { type: 'string', describe: 'force a backend (gradflow backends lists them)' })
      .option('threads', { type: 'number', describe: 'backend threads (default: all cores)' })
      .example('$0 landscape results/why-residual', 'every completed run of an experiment')
      .example('$0 landscape results/quick/cifar-basic-d32-s0 --grid 0', 'a 1-D slice only') as never,
  handler: async (args) => {
    const { LandscapeSettingsSchema, landscapeAnalysis } = await import('../../analysis/landscape.js');
    const parsed = LandscapeSettingsSchema.safeParse({
      points: args.points,
      grid: args.grid,
      range: args.range,
      examples: args.examples,
      seed: args.seed,
    });
    if (!parsed.success) {
      throw new UserError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
    }
    const settings = parsed.data;
    const dirs = runDirs(args.paths);
    const evaluations = settings.points + settings.grid * settings.grid;
    console.log(
      `landscape: ${dirs.length} run(s) x ${evaluations} evaluations of ${settings.examples} training examples ` +
        `(${settings.points} on the 1-D slice, ${settings.grid}x${settings.grid} on the 2-D one)`,
    );
    const { initEngine } = await import('../../engine/index.js');
    await initEngine({ backend: args.backend, threads: args.threads });
    const { analyseRuns } = await import('../../analysis/analysis.js');
    await analyseRuns(landscapeAnalysis, dirs, settings, {
      force: args.force,
      log: (line) => console.log(line),
    });
  },
};

export default command;
