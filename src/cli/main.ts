#!/usr/bin/env node
// The `gradflow` command. Command modules import TF.js and friends lazily inside their
// handlers, so `--help` and argument errors answer without loading a backend.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { exitCodeOf } from '../ground/errors.js';
import { bindPatternValues } from './pattern-args.js';
import { explainUnknownArguments } from './unknown-options.js';

const args = bindPatternValues(hideBin(process.argv));
const cli = yargs(args)
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
    let help = '';
    y.showHelp((text: string) => (help = text));
    const command = ['gradflow', ...args.slice(0, 1).filter((a) => !a.startsWith('-'))].join(' ');
    const unknown = explainUnknownArguments(msg, help, command);
    console.error(unknown ?? `${help}\n\n${msg}`);
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
