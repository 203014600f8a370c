// `gradflow serve <dirs..>`: the report, live, over results directories that sweeps are writing.
import type { CommandModule } from 'yargs';
import { UserError } from '../../ground/errors.js';
import { loadPluginFiles, RESULTS_DIRS_POSITIONAL } from '../common-options.js';

interface ServeArgs {
  dirs: string[];
  port: number;
  host: string;
  interval: number;
  title?: string;
  baseline?: string;
  plugin?: string[];
}

const command: CommandModule<object, ServeArgs> = {
  command: 'serve <dirs..>',
  describe: 'Serve a live report of results directories while their sweeps run (read-only, local)',
  builder: (yargs) =>
    yargs
      .positional('dirs', RESULTS_DIRS_POSITIONAL)
      .option('port', { describe: 'port to listen on (0: any free one)', type: 'number', default: 6070 })
      .option('host', {
        describe: 'address to listen on; anything but loopback serves your results to the network',
        type: 'string',
        default: '127.0.0.1',
      })
      .option('interval', {
        describe: 'seconds between reads of the results (longer while the machine is busy)',
        type: 'number',
        default: 2,
      })
      .option('title', { describe: 'page title', type: 'string' })
      .option('baseline', { describe: 'as for gradflow report', type: 'string' })
      .option('plugin', {
        describe: 'a plugin file whose figures and findings the page adds (as for gradflow report)',
        type: 'string',
        array: true,
      })
      .example('$0 serve results/quick', 'while `gradflow demo` runs: http://127.0.0.1:6070/')
      .example('$0 serve results/a results/b --port 8080', 'two experiments on one page'),
  handler: async (args) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
      throw new UserError(`--port ${args.port}: not a port (0-65535)`);
    if (!(args.interval > 0))
      throw new UserError(`--interval ${args.interval}: must be a positive number of seconds`);
    await loadPluginFiles(args.plugin);
    const { startServer, isLoopback } = await import('../../serve/server.js');
    const server = await startServer({
      dirs: args.dirs,
      port: args.port,
      host: args.host,
      interval: args.interval,
      title: args.title,
      baseline: args.baseline,
    });
    if (!isLoopback(args.host)) {
      console.error(
        `gradflow serve: WARNING: listening on ${args.host}, not loopback: anyone who can reach this machine ` +
          `can read these results (there is no password). Use the default --host 127.0.0.1 and an SSH tunnel instead.`,
      );
    }
    console.log(`gradflow serve: ${server.url} (${args.dirs.join(', ')}); Ctrl-C stops`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    console.log('gradflow serve: stopped');
  },
};

export default command;
