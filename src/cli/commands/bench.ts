// `gradflow bench`: median training-step time of one model on one backend, on seeded synthetic
// input (no dataset), timed through the trainer's own step code.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadPluginFiles, PLUGIN_OPTION } from '../common-options.js';

interface BenchArgs {
  model: string;
  depth: number;
  block: string;
  width?: number;
  shortcut?: string;
  input?: string;
  batch: number;
  threads?: number;
  backend?: string;
  steps: number;
  warmup: number;
  seed: number;
  json: boolean;
  profile: boolean;
  plugin?: string[];
}

const command: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'Time training steps (forward + backward + SGD update) of one model on the current backend',
  builder: (y: Argv) =>
    y
      .option('model', {
        type: 'string',
        default: 'cifar',
        describe:
          'family cifar | mlp (uses --depth/--block/--width), or an analyze model name (resnet18, cifar-resnet56, ...)',
      })
      .option('depth', { type: 'number', default: 20, describe: 'weighted layers (cifar: 6n+2)' })
      .option('block', {
        type: 'string',
        default: 'basic',
        describe: 'registered block: basic | plain | bottleneck | a plugin block',
      })
      .option('width', { type: 'number', describe: 'cifar: first-stage filters (16); mlp: units' })
      .option('shortcut', {
        type: 'string',
        choices: ['A', 'B', 'C'],
        describe: 'residual shortcut option (default A)',
      })
      .option('input', {
        type: 'string',
        describe:
          "per-example input HxWxC, or a feature count for mlp (default 28x28x1 for cifar, 784 for mlp, the model's own for a named model)",
      })
      .option('batch', { type: 'number', default: 128 })
      .option('threads', {
        type: 'number',
        describe: 'backend threads (default: GRADFLOW_THREADS or all cores)',
      })
      .option('backend', {
        type: 'string',
        describe:
          'force a backend: tensorflow-gpu | webgpu | tensorflow | native | wasm | cpu (default: fastest available)',
      })
      .option('steps', { type: 'number', default: 10, describe: 'timed steps' })
      .option('warmup', { type: 'number', default: 2, describe: 'untimed steps first (>= 1)' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the weights and the synthetic batch' })
      .option('plugin', PLUGIN_OPTION)
      .option('profile', {
        type: 'boolean',
        default: false,
        describe: 'also profile one step: time per kernel and the JavaScript between kernels',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe:
          'print one JSON line (model, batch, size, channels, threads, backend, params, step_ms_median, step_ms_min, peak_rss_mb, ...)',
      })
      .epilogue(
        'Achieved GFLOP/s take the forward FLOPs from `gradflow analyze` (2 x conv/dense multiply-adds) and count a ' +
          'training step as 3 x forward (forward, input gradient, weight gradient). tf.memory().numTensors is compared ' +
          'after warm-up and after the timed steps; a difference is a leak and fails the command (exit 1). ' +
          'peak_rss_mb is the process peak resident memory (process.resourceUsage().maxRSS).',
      )
      .example('$0 bench', 'ResNet-20, batch 128, 28x28x1 on the fastest backend')
      .example(
        '$0 bench --block plain --depth 56 --threads 2 --json',
        'plain-56, one JSON line (what a side-by-side ratio script parses)',
      )
      .example('$0 bench --backend wasm --steps 3 --batch 32', 'a quick look at one backend')
      .example(
        '$0 bench --depth 56 --profile',
        'where a ResNet-56 step goes, kernel by kernel',
      ) as Argv<BenchArgs>,
  handler: async (args: ArgumentsCamelCase<BenchArgs>) => {
    const { parseInput } = await import('../../costs/targets.js');
    const { runBench, benchJsonLine, benchText, checkNoLeak } = await import('../../costs/bench.js');
    await loadPluginFiles(args.plugin);
    const result = await runBench({
      model: args.model,
      depth: args.depth,
      block: args.block,
      width: args.width,
      shortcut: args.shortcut as 'A' | 'B' | 'C' | undefined,
      input: args.input != null ? parseInput(args.input) : undefined,
      batch: args.batch,
      steps: args.steps,
      warmup: args.warmup,
      threads: args.threads,
      backend: args.backend,
      seed: args.seed,
      profile: args.profile,
    });
    console.log(args.json ? benchJsonLine(result) : benchText(result));
    checkNoLeak(result);
  },
};

export default command;
