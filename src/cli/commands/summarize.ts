// gradflow summarize <results/experiment | experiment.json>: rebuild summary.csv and
// summary-by-config.csv from the run directories; what a job array runs once all its shards end.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { UserError } from '../../ground/errors.js';

interface Args {
  target: string;
  results: string;
  quiet?: boolean;
}

const command: CommandModule<object, Args> = {
  command: 'summarize <target>',
  describe: 'Rebuild summary.csv and summary-by-config.csv of an experiment from its run directories',
  builder: (y) =>
    y
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 'results/<experiment> directory, or the experiment file',
      })
      .option('results', {
        type: 'string',
        default: 'results',
        describe: 'results root, when target is an experiment file',
      })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only the file paths' })
      .example('$0 summarize results/quick', 'after every shard of a job array has finished')
      .example(
        '$0 summarize experiments/quick.json --results /scratch/results',
        'the same, found from the experiment file',
      ) as never,
  handler: async (args) => {
    if (!existsSync(args.target)) throw new UserError(`summarize: ${args.target} does not exist`);
    let dir = args.target;
    if (!statSync(args.target).isDirectory()) {
      const { loadExperiment } = await import('../../sweep/load.js');
      dir = join(resolve(args.results), (await loadExperiment(args.target)).name);
    }
    const { readManifests, writeSummaries } = await import('../../sweep/summary.js');
    const { formatSummaryTable } = await import('../../sweep/table.js');
    if (readManifests(dir).length === 0) {
      throw new UserError(`summarize: no run directories with a manifest.json under ${dir}`);
    }
    const written = await writeSummaries(dir);
    if (!args.quiet) console.log(formatSummaryTable(written.configs) + '\n');
    const counts = new Map<string, number>();
    for (const row of written.rows) counts.set(String(row.status), (counts.get(String(row.status)) ?? 0) + 1);
    console.log(`${written.rows.length} runs (${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')})`);
    console.log(`wrote ${written.summary}\nwrote ${written.byConfig}`);
  },
};

export default command;
