// gradflow landscape <results/exp | results/exp/run>...: the loss landscape of each completed run
// with a checkpoint (Li et al. 2018): 1-D and 2-D slices of the training loss along seeded,
// filter-normalised random directions, written to <run>/landscape.csv for the report.
import type { CommandModule } from 'yargs';
import { runAnalysisCommand, withAnalysisOptions, type AnalysisArgs } from '../analyses-command.js';

interface Args extends AnalysisArgs {
  points: number;
  grid: number;
  range: number;
  examples: number;
  seed: number;
}

const command: CommandModule<object, Args> = {
  command: 'landscape <paths..>',
  describe:
    'Loss landscape: the training loss around trained nets along filter-normalised directions (Li et al. 2018)',
  builder: (y) =>
    withAnalysisOptions(y, 'landscape.csv')
      .option('points', { type: 'number', default: 21, describe: '1-D slice: points from -range to +range' })
      .option('grid', { type: 'number', default: 11, describe: '2-D slice: points per axis (0: none)' })
      .option('range', { type: 'number', default: 1, describe: 'largest |alpha|, |beta|' })
      .option('examples', { type: 'number', default: 512, describe: 'training examples in the fixed subset' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the directions and the subset' })
      .example('$0 landscape results/why-residual', 'every completed run of an experiment')
      .example('$0 landscape results/quick/cifar-basic-d32-s0 --grid 0', 'a 1-D slice only') as never,
  handler: async (args) => {
    const { landscapeAnalysis } = await import('../../analyses/landscape.js');
    const settings = ['points', 'grid', 'range', 'examples', 'seed'] as const;
    // The cost, said before it starts: a slice is one evaluation of the subset per point.
    await runAnalysisCommand(landscapeAnalysis, args, settings, (s, runs) => {
      const evaluations = s.points + s.grid * s.grid;
      return `landscape: ${runs} run(s) x ${evaluations} evaluations of ${s.examples} training examples (${s.points} on the 1-D slice, ${s.grid}x${s.grid} on the 2-D one)`;
    });
  },
};

export default command;
