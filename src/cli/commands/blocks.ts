// `gradflow blocks`: the registered blocks (built-in and from --plugin files) with what they are
// and where they come from.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadPluginFiles } from '../common-options.js';

interface BlocksArgs {
  json: boolean;
  plugin?: string[];
}

const command: CommandModule<object, BlocksArgs> = {
  command: 'blocks',
  describe: 'List the registered blocks: name, residual, description, paper',
  builder: (y: Argv) =>
    y
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print a JSON array of {name, description, reference, residual}',
      })
      .option('plugin', {
        type: 'string',
        array: true,
        describe: 'block plugin file(s) (.ts, .js, .mjs) to load first',
      })
      .example('$0 blocks', 'the built-in blocks')
      .example(
        '$0 blocks --plugin examples/custom-block/scaled-shortcut.ts --json',
        'including a plugin block, as JSON',
      ) as unknown as Argv<BlocksArgs>,
  handler: async (args: ArgumentsCamelCase<BlocksArgs>) => {
    const { listBlocks } = await import('../../blocks/registry.js');
    await loadPluginFiles(args.plugin);
    const blocks = listBlocks();
    if (args.json) {
      const rows = blocks.map((b) => ({
        name: b.name,
        description: b.description,
        reference: b.reference,
        residual: b.residual,
      }));
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    console.log(formatBlocks(blocks));
  },
};

/** A plain table: one block per entry, its reference and non-built-in source on indented lines. */
export function formatBlocks(
  blocks: { name: string; residual: boolean; description: string; reference: string; source: string }[],
): string {
  const width = Math.max(4, ...blocks.map((b) => b.name.length));
  const lines = [`${'name'.padEnd(width)}  residual  description`];
  for (const b of blocks) {
    lines.push(`${b.name.padEnd(width)}  ${(b.residual ? 'yes' : 'no').padEnd(8)}  ${b.description}`);
    lines.push(`${''.padEnd(width + 12)}${b.reference}`);
    if (!b.source.startsWith('built-in')) lines.push(`${''.padEnd(width + 12)}from ${b.source}`);
  }
  return lines.join('\n');
}

export default command;
