// `gradflow import-weights`: a TF.js LayersModel directory (e.g. Keras' VGG16 / ResNet50 through
// tensorflowjs_converter) into a built-in model, written as a gradflow run directory that a
// transfer config can name in "transfer": {"from": ...}. Nothing is downloaded.
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UserError } from '../../ground/errors.js';

interface ImportArgs {
  dir: string;
  model: string;
  input: string;
  classes?: number;
  out?: string;
  seed: number;
}

/** `224x224x3` -> [224, 224, 3]. */
export function parseInputShape(value: string): number[] {
  const dims = value.split('x').map(Number);
  if (dims.length !== 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new UserError(`--input "${value}": expected HEIGHTxWIDTHxCHANNELS, e.g. 224x224x3`);
  }
  return dims;
}

const command: CommandModule<object, ImportArgs> = {
  command: 'import-weights <dir>',
  describe:
    'Import a TF.js LayersModel (Keras VGG/ResNet naming) into a built-in model, as a run directory to transfer from',
  builder: (y: Argv) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'directory holding model.json and its weight shards',
      })
      .option('model', {
        type: 'string',
        demandOption: true,
        describe:
          'built-in variant: vgg11..vgg19, resnet18..resnet152 (vgg16, resnet50 for Keras applications)',
      })
      .option('input', {
        type: 'string',
        default: '224x224x3',
        describe: 'input shape HxWxC the model is built for',
      })
      .option('classes', {
        type: 'number',
        describe: "head classes (default: the file's predictions units, else 1000)",
      })
      .option('out', {
        type: 'string',
        describe: 'run directory to write (default results/imported/<model>)',
      })
      .option('seed', {
        type: 'number',
        default: 0,
        describe: 'seed for parameters the file leaves empty (a replaced head)',
      })
      .example(
        '$0 import-weights ./vgg16-tfjs --model vgg16 --out results/imported/vgg16-keras',
        "Keras' VGG16 as a transfer source",
      )
      .example(
        '$0 import-weights ./resnet50-tfjs --model resnet50 --input 64x64x3 --classes 10',
        'ResNet50 weights at a smaller input, new 10-class head',
      ) as Argv<ImportArgs>,
  handler: async (args: ArgumentsCamelCase<ImportArgs>) => {
    const inputShape = parseInputShape(args.input);
    const variant = args.model;
    const { VGG_STAGES } = await import('../../models/vgg.js');
    const { RESNET_BLOCKS } = await import('../../models/resnet.js');
    const family = variant in VGG_STAGES ? 'vgg' : variant in RESNET_BLOCKS ? 'resnet' : null;
    if (!family) {
      throw new UserError(
        `--model "${variant}": choose one of ${[...Object.keys(VGG_STAGES), ...Object.keys(RESNET_BLOCKS)].join(', ')}`,
      );
    }
    const { ModelConfig } = await import('../../config/schema.js');
    const { readModelJson } = await import('../../weights/layers-model-files.js');
    const units = readModelJson(args.dir).layers.get('predictions')?.config.units;
    const classes = args.classes ?? (typeof units === 'number' ? units : 1000);
    const modelConfig = ModelConfig.parse({ family, variant });
    const { buildModel } = await import('../../models/index.js');
    const { importLayersModel } = await import('../../weights/layers-model.js');
    const { writeImportedRun } = await import('../../weights/imported-run.js');
    const model = buildModel(modelConfig, inputShape, classes, args.seed);
    try {
      const result = importLayersModel(args.dir, model);
      const runDir = resolve(args.out ?? `results/imported/${variant}`);
      await writeImportedRun(runDir, args.dir, model, modelConfig, result);
      for (const m of result.mapped)
        console.log(`${m.from.padEnd(36)} -> ${m.to} [${m.shape}]${m.note ? `  (${m.note})` : ''}`);
      for (const s of result.skipped) console.log(`left at its initialisation: ${s.param} (${s.reason})`);
      for (const n of result.notes) console.log(`note: ${n}`);
      console.log(`${result.mapped.length} weights mapped into ${model.name}; run directory: ${runDir}`);
      console.log(`use it with "transfer": {"from": "${runDir}"}`);
    } finally {
      model.dispose();
    }
  },
};

export default command;
