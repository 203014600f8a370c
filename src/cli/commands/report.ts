// `gradflow report <dirs..>`: results directories -> one offline HTML report (+ PNGs, specs).
import type { CommandModule } from 'yargs';
import { loadPluginFiles, RESULTS_DIRS_POSITIONAL } from '../common-options.js';

interface ReportArgs {
  dirs: string[];
  out?: string;
  png?: string;
  specs?: string;
  plugin?: string[];
  baseline?: string;
}

const command: CommandModule<object, ReportArgs> = {
  command: 'report <dirs..>',
  describe: 'Build an offline HTML report (figures + findings) from results directories',
  builder: (yargs) =>
    yargs
      .positional('dirs', RESULTS_DIRS_POSITIONAL)
      .option('out', { describe: 'HTML file to write (default reports/<experiment>.html)', type: 'string' })
      .option('png', { describe: 'also write one PNG per figure into this directory', type: 'string' })
      .option('specs', {
        describe: "also write each figure's Vega-Lite spec (.vl.json, data inline) here",
        type: 'string',
      })
      .option('baseline', {
        describe:
          'the block every other block is compared against at each depth (default: the built-in residual block present, basic first)',
        type: 'string',
      })
      .option('plugin', {
        describe:
          'a plugin file whose figures and findings (registerFigure, registerFinding) the report adds',
        type: 'string',
        array: true,
      })
      .example('$0 report results/quick', 'writes reports/quick.html')
      .example('$0 report results/my-blocks --baseline basic', 'each block against basic, at each depth')
      .example('$0 report results/norm results/no-norm --out reports/norm.html', 'compares two experiments')
      .example(
        '$0 report results/quick --png docs/figures --specs out/specs',
        'adds PNGs and Vega-Lite specs',
      ),
  handler: async (args) => {
    await loadPluginFiles(args.plugin);
    const { buildReport } = await import('../../report/build.js');
    const result = await buildReport(args.dirs, {
      out: args.out,
      png: args.png,
      specs: args.specs,
      baseline: args.baseline,
    });
    for (const note of result.notes) console.error(`gradflow report: ${note}`);
    console.log(result.out);
  },
};

export default command;
