#!/usr/bin/env node
// The `gradflow` command. Command modules import TF.js and friends lazily inside their
// handlers, so `--help` and argument errors answer without loading a backend.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { exitCodeOf } from '../ground/errors.js';
import { bindPatternValues } from './pattern-args.js';

const cli = yargs(bindPatternValues(hideBin(process.argv)))
  .scriptName('gradflow')
  .usage(
    '$0 <command> [options]\n\nGradient flow and the degradation problem: depth sweeps, per-layer probes, reports.',
  )
  .strict()
  .demandCommand(1, 'Name a command (see the list above).')
  .recommendCommands()
  .help()
  .alias('h', 'help')
  .wrap(Math.min(110, process.stdout.columns || 110))
  .fail((msg, err, y) => {
    if (err) throw err;
    y.showHelp();
    console.error(`\n${msg}`);
    process.exit(2);
  });

for (const command of commands) cli.command(command);

try {
  await cli.parseAsync();
} catch (err) {
  const e = err as Error;
  console.error(`gradflow: ${e.message}`);
  if (process.env.GRADFLOW_DEBUG) console.error(e.stack);
  process.exit(exitCodeOf(err));
}
