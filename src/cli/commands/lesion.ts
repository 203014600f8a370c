// gradflow lesion <results/exp | results/exp/run>...: the lesion study of each completed run with a
// checkpoint: test error with each block deleted in turn and with k random blocks deleted, written
// to <run>/lesion.csv (skipped when it is up to date) for the report's lesion figure and finding.
import type { CommandModule } from 'yargs';
import { runAnalysisCommand, withAnalysisOptions, type AnalysisArgs } from '../analyses-command.js';

interface Args extends AnalysisArgs {
  examples: number;
  maxK: number;
  draws: number;
  seed: number;
}

const command: CommandModule<object, Args> = {
  command: 'lesion <paths..>',
  describe:
    'Lesion study: test error with blocks deleted from trained nets (Veit et al. 2016), into lesion.csv',
  builder: (y) =>
    withAnalysisOptions(y, 'lesion.csv')
      .option('examples', { type: 'number', default: 2000, describe: 'test examples scored per lesion' })
      .option('max-k', {
        type: 'number',
        default: 10,
        describe: 'most blocks deleted at once (random study)',
      })
      .option('draws', { type: 'number', default: 5, describe: 'random draws of k blocks per k' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the draws' })
      .example('$0 lesion results/fashion-mnist-degradation', 'every completed run of an experiment')
      .example(
        '$0 lesion results/quick/cifar-basic-d32-s0 --examples 256 --draws 3',
        'one run, quickly',
      ) as never,
  handler: async (args) => {
    const { lesionAnalysis } = await import('../../analyses/lesion.js');
    await runAnalysisCommand(lesionAnalysis, args, ['examples', 'maxK', 'draws', 'seed']);
  },
};

export default command;
