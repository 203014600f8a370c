// `gradflow backends`: every candidate training backend, whether it loads here (and why not),
// and which one gradflow would select.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

interface BackendsArgs {
  json: boolean;
  backend?: string;
  threads?: number;
}

const command: CommandModule<object, BackendsArgs> = {
  command: 'backends',
  describe: 'List the training backends, whether each loads here, and which one is selected',
  builder: (y: Argv) =>
    y
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print a JSON array of {name, available, selected, detail}',
      })
      .option('backend', {
        type: 'string',
        describe:
          'force a backend (tensorflow-gpu, webgpu, tensorflow, native, wasm, cpu); env GRADFLOW_BACKEND',
      })
      .option('threads', {
        type: 'number',
        describe: 'threads for the CPU backends (default: all logical cores); env GRADFLOW_THREADS',
      })
      .example('$0 backends', 'which backend training would use, and why the faster ones are unavailable')
      .example('$0 backends --json', 'the same as JSON')
      .example(
        'GRADFLOW_BACKEND=wasm $0 backends --threads 2',
        'check that wasm starts with 2 threads',
      ) as unknown as Argv<BackendsArgs>,
  handler: async (args: ArgumentsCamelCase<BackendsArgs>) => {
    const { listBackends } = await import('../../engine/index.js');
    const rows = await listBackends({ backend: args.backend, threads: args.threads });
    if (args.json) {
      console.log(JSON.stringify(rows));
      return;
    }
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(`${'backend'.padEnd(width + 2)}${'status'.padEnd(12)}detail`);
    for (const r of rows) {
      const status = r.selected ? 'selected' : r.available ? 'available' : 'unavailable';
      console.log(`${r.name.padEnd(width + 2)}${status.padEnd(12)}${r.detail}`);
    }
  },
};

export default command;
