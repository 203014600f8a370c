// `gradflow demo`: the README's main job. Runs the quick depth sweep (experiments/quick.json) on the
// built-in synthetic data into results/quick/, prints its summary, and writes reports/quick.html.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { packageRoot } from '../../store/provenance.js';
import runCommand from './run.js';

interface Args {
  workers: number;
  results: string;
  out: string;
  backend?: string;
  retrain?: string;
}

const command: CommandModule<object, Args> = {
  command: 'demo',
  describe: 'Run the quick depth sweep on synthetic data and write its report (reports/quick.html)',
  builder: (y) =>
    y
      .option('workers', {
        type: 'number',
        default: 2,
        describe: 'runs at once (each gets cores / workers threads)',
      })
      .option('results', { type: 'string', default: 'results', describe: 'results root' })
      .option('out', { type: 'string', default: 'reports/quick.html', describe: 'the report file' })
      .option('backend', { type: 'string', describe: 'force a backend (gradflow backends lists them)' })
      .option('retrain', { type: 'string', describe: 'changed and/or damaged: as for gradflow run' })
      .example(
        '$0 demo',
        'plain vs residual at three depths plus the no-normalisation pair, ~3 minutes on 2 cores',
      )
      .example('$0 demo --workers 1 --backend wasm', 'one run at a time on the WebAssembly backend') as never,
  handler: async (args) => {
    const experiment = join(packageRoot, 'experiments', 'quick.json');
    const started = Date.now();
    await runCommand.handler!({
      ...args,
      experiment,
      workers: args.workers,
      results: args.results,
      _: [],
      $0: 'gradflow',
    } as never);
    const experimentDir = join(resolve(args.results), 'quick');
    const summary = join(experimentDir, 'summary.csv');
    if (existsSync(summary)) console.log('\n' + (await summaryTable(summary)));
    const { buildReport } = await import('../../report/index.js');
    const out = resolve(args.out);
    await buildReport([experimentDir], { out });
    console.log(`\nreport: ${out}`);
    console.log(`demo finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
};

/** The summary as an aligned text table: run, status, params, final errors, wall time. */
async function summaryTable(path: string): Promise<string> {
  const { readCsv } = await import('../../store/csv-log.js');
  const rows = await readCsv<Record<string, string>>(path);
  const pct = (v: string) => (v === '' || v === undefined ? '-' : `${(100 * Number(v)).toFixed(1)}%`);
  const table = [
    ['run', 'status', 'params', 'train error', 'test error', 'wall s'],
    ...rows.map((r) => [
      r.run,
      r.status,
      Number(r.params).toLocaleString('en'),
      pct(r.train_error),
      pct(r.test_error),
      Number(r.wall_s).toFixed(0),
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table
    .map((row) =>
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
    )
    .join('\n');
}

export default command;
