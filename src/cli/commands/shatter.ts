// gradflow shatter <results/exp | results/exp/run>...: shattered gradients (Balduzzi et al. 2017)
// of each run's net at initialisation (no training needed): input gradients along a line between
// two training images and their autocorrelation, with and without normalisation, into
// <run>/shatter.csv for the report.
import type { CommandModule } from 'yargs';
import { runAnalysisCommand, withAnalysisOptions, type AnalysisArgs } from '../analyses-command.js';

interface Args extends AnalysisArgs {
  points: number;
  maxLag: number;
  seed: number;
  withoutNorm: boolean;
}

const command: CommandModule<object, Args> = {
  command: 'shatter <paths..>',
  describe:
    'Shattered gradients: input-gradient correlation along a line of inputs, at initialisation (Balduzzi et al. 2017)',
  builder: (y) =>
    withAnalysisOptions(y, 'shatter.csv')
      .option('points', { type: 'number', default: 256, describe: 'inputs along the line, ends included' })
      .option('max-lag', { type: 'number', default: 32, describe: 'largest lag of the autocorrelation' })
      .option('seed', {
        type: 'number',
        default: 0,
        describe: 'seed of the end images and the output projection',
      })
      .option('without-norm', {
        type: 'boolean',
        default: true,
        describe: 'also measure normalised nets with normalisation removed (--no-without-norm: not)',
      })
      .example('$0 shatter results/why-residual', 'every run of an experiment, trained or not')
      .example('$0 shatter results/quick/cifar-plain-d32-s0 --points 128', 'one run') as never,
  handler: async (args) => {
    const { shatterAnalysis } = await import('../../analyses/shatter.js');
    const settings = ['points', 'maxLag', 'seed', 'withoutNorm'] as const;
    await runAnalysisCommand(shatterAnalysis, args, settings, (s, runs) => {
      const nets = s.withoutNorm ? 'each net and its unnormalised counterpart' : 'each net';
      return `shatter: ${runs} run(s), ${nets}: one forward and backward pass over ${s.points} inputs`;
    });
  },
};

export default command;
