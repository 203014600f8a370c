// `gradflow analyze`: parameters, multiply-adds and memory of architectures, counted from the
// networks gradflow builds (built-in names, or an experiment file's models, plugins included).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { CONVENTIONS, NAME_FORMS } from '../../costs/conventions.js';
import { loadPluginFiles } from '../common-options.js';

interface AnalyzeArgs {
  models: string[];
  input?: string;
  width?: number;
  batch: number;
  perLayer: boolean;
  json?: boolean;
  csv?: boolean;
  report?: string;
  time: boolean;
  timeBatch: number;
  timeSteps: number;
  backend?: string;
  threads?: number;
  plugin?: string[];
}

const command: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <models..>',
  describe: 'Parameters, multiply-adds (MACs) and memory of architectures, counted from the built networks',
  builder: (y: Argv) =>
    y
      .positional('models', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: `models: ${NAME_FORMS.join('; ')}`,
      })
      .option('input', {
        type: 'string',
        describe:
          'per-example input HxWxC or features (default: 224x224x3 ImageNet models, 32x32x3 cifar-*, 784 mlp-*, the data of an experiment file)',
      })
      .option('width', {
        type: 'number',
        describe:
          'first-stage width of cifar-* nets (default 16, as He et al.; the output says the width used)',
      })
      .option('batch', { type: 'number', default: 32, describe: 'batch size for activation memory' })
      .option('per-layer', {
        type: 'boolean',
        default: false,
        describe: 'one row per op: name, depth index, type, output shape, params, MACs',
      })
      .option('json', {
        type: 'boolean',
        describe:
          'print a JSON array {model, input, params, trainable_params, macs, flops, weight_bytes, activation_bytes, ...}',
      })
      .option('csv', {
        type: 'boolean',
        describe: 'print CSV (one row per model, or per op with --per-layer)',
      })
      .conflicts('json', 'csv')
      .option('report', {
        type: 'string',
        describe:
          'also write the comparison page (offline HTML with Vega-Lite figures and the claims checked)',
      })
      .option('time', {
        type: 'boolean',
        default: false,
        describe: 'also measure forward and training-step time per image on the current backend',
      })
      .option('time-batch', { type: 'number', default: 4, describe: 'batch for --time' })
      .option('time-steps', {
        type: 'number',
        default: 3,
        describe: 'timed repetitions for --time (after 1 warm-up)',
      })
      .option('backend', { type: 'string', describe: 'backend for --time (default: fastest available)' })
      .option('threads', { type: 'number', describe: 'backend threads for --time' })
      .option('plugin', {
        type: 'string',
        array: true,
        describe: 'block plugin file(s) to load first (cifar-<block>-<depth> can then name their blocks)',
      })
      .epilogue(`Counting conventions:\n${CONVENTIONS.map((c) => `  - ${c}`).join('\n')}`)
      .example('$0 analyze vgg16 resnet50', 'the two side by side at 224x224x3')
      .example(
        '$0 analyze cifar-resnet56 cifar-plain20 --input 32x32x3 --batch 128 --per-layer',
        'CIFAR nets layer by layer',
      )
      .example(
        '$0 analyze vgg16 vgg19 resnet18 resnet34 resnet50 resnet101 resnet152 --report reports/architectures.html',
        'the comparison page',
      )
      .example(
        '$0 analyze experiments/my-block.json --json',
        "an experiment's models, plugin blocks included",
      )
      .example(
        '$0 analyze resnet18 --input 64x64x3 --time',
        'counted and measured cost',
      ) as unknown as Argv<AnalyzeArgs>,
  handler: async (args: ArgumentsCamelCase<AnalyzeArgs>) => {
    const { UserError } = await import('../../ground/errors.js');
    const { parseInput, resolveTargets } = await import('../../costs/targets.js');
    const { analyzeTarget, targetNetwork } = await import('../../costs/analyze.js');
    if (!Number.isInteger(args.batch) || args.batch < 1)
      throw new UserError(`--batch must be a positive integer, got ${args.batch}`);
    await loadPluginFiles(args.plugin);
    const input = args.input != null ? parseInput(args.input) : undefined;
    const targets = await resolveTargets(args.models, input, args.width);
    const widths = [...new Set(targets.filter((t) => t.cfg.family === 'cifar').map((t) => t.cfg.width))];
    if (widths.length && args.models.some((m) => /^cifar-/i.test(m)))
      console.error(`cifar-* nets at first-stage width ${widths.join(', ')} (--width sets it)`);
    const analyses = targets.map((t) => analyzeTarget(t, { batch: args.batch, perLayer: args.perLayer }));

    if (args.time) {
      for (const [flag, v] of [
        ['--time-batch', args.timeBatch],
        ['--time-steps', args.timeSteps],
      ] as const) {
        if (!Number.isInteger(v) || v < 1)
          throw new UserError(`${flag} must be a positive integer, got ${v}`);
      }
      const { initEngine } = await import('../../engine/index.js');
      const { timePerImage } = await import('../../costs/timing.js');
      const engine = await initEngine({ backend: args.backend, threads: args.threads });
      for (const [i, t] of targets.entries()) {
        const m = await timePerImage(targetNetwork(t), t.inputShape, t.numClasses, {
          batch: args.timeBatch,
          steps: args.timeSteps,
        });
        Object.assign(analyses[i], {
          forward_ms_per_image: m.forwardMsPerImage,
          train_ms_per_image: m.trainMsPerImage,
          time_backend: engine.name,
          time_batch: args.timeBatch,
        });
      }
    }

    const format = await import('../../costs/format.js');
    if (args.json) console.log(JSON.stringify(analyses, null, 2));
    else if (args.csv)
      process.stdout.write(args.perLayer ? format.perLayerCsv(analyses) : format.summaryCsv(analyses));
    else {
      console.log(format.summaryTable(analyses));
      if (args.perLayer) for (const a of analyses) console.log(`\n${format.perLayerTable(a)}`);
    }

    if (args.report) {
      const { writeArchitecturePage } = await import('../../costs/report.js');
      const { claimAnalyses, checkClaims } = await import('../../costs/claims.js');
      const out = await writeArchitecturePage(args.report, {
        analyses,
        claims: checkClaims(claimAnalyses()),
      });
      console.error(`gradflow: wrote ${out}`);
    }
  },
};

export default command;
