// `gradflow train`: one run from flags or from a single-run config file.
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UserError } from '../../ground/errors.js';
import { readJsonFile } from '../../ground/json-file.js';
import { BACKEND_OPTIONS, NUMERICS_OPTION, PLUGIN_OPTION } from '../common-options.js';

/**
 * Flags that each set one config path, declared once: flag, value type, the path it sets, help.
 * `--data` and `--classes` are parsed first (below); the rest pass through as given.
 */
const CONFIG_FLAGS = [
  ['model', 'string', 'model.family', 'family: cifar | mlp | vgg | resnet'],
  ['depth', 'number', 'model.depth', 'weighted layers (cifar: 6n+2)'],
  ['block', 'string', 'model.block', 'registered block (gradflow blocks)'],
  ['width', 'number', 'model.width', 'cifar: first-stage filters; mlp: units'],
  ['norm', 'string', 'model.norm', 'batch | layer | none'],
  ['activation', 'string', 'model.activation', 'relu | tanh | sigmoid'],
  ['init', 'string', 'model.init', 'he | glorot | lecun'],
  ['shortcut', 'string', 'model.shortcut', 'A | B | C (He et al. 2015)'],
  ['variant', 'string', 'model.variant', 'vgg/resnet variant, e.g. vgg11, resnet18'],
  [
    'data',
    'string',
    'data.name',
    'synthetic | synthetic-vectors | mnist:DIR | fashion-mnist:DIR | cifar10:DIR',
  ],
  ['size', 'number', 'data.size', 'synthetic image size'],
  ['channels', 'number', 'data.channels', 'synthetic image channels'],
  ['train-size', 'number', 'data.trainSize', 'training examples (cap)'],
  ['test-size', 'number', 'data.testSize', 'test examples (cap)'],
  ['augment', 'boolean', 'data.augment', 'pad-crop-flip augmentation'],
  ['classes', 'string', 'data.classes', 'keep only these labels, e.g. 5,6,7,8,9 (relabelled 0..k-1)'],
  ['labels-per-class', 'number', 'data.labelsPerClass', 'label budget per class (drawn per seed)'],
  ['from', 'string', 'transfer.from', 'transfer: a completed run directory to start from'],
  ['mode', 'string', 'transfer.mode', 'transfer: linear | finetune | finetune-last | scratch'],
  ['stages', 'number', 'transfer.stages', 'transfer finetune-last: how many last stages train'],
  ['epochs', 'number', 'train.epochs', 'train for this many epochs'],
  ['steps', 'number', 'train.steps', 'overrides --epochs'],
  ['batch', 'number', 'train.batchSize', 'batch size'],
  ['lr', 'number', 'train.lr', 'base learning rate'],
  ['optimizer', 'string', 'train.optimizer', 'sgd | adam'],
  ['probe-every', 'number', 'probe.every', 'steps between per-layer probes'],
  ['seed', 'number', 'seed', 'run seed'],
] as const;

type ConfigFlag = (typeof CONFIG_FLAGS)[number][0];
type CamelCase<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<CamelCase<B>>}` : S;
const camel = (flag: string): string => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

type TrainArgs = { [F in ConfigFlag as CamelCase<F>]?: string | number | boolean } & {
  config?: string;
  probes: boolean;
  out: string;
  id?: string;
  backend?: string;
  threads?: number;
  plugin?: string[];
  retrain?: string;
  allowNumericsChange?: boolean;
  blockOption?: string[];
};

/** `--data fashion-mnist:/usr/share/datasets/fashion-mnist` -> {name, path}. */
export function parseDataFlag(value: string): { name: string; path?: string } {
  const i = value.indexOf(':');
  return i < 0 ? { name: value } : { name: value.slice(0, i), path: value.slice(i + 1) };
}

/**
 * `--block-option survival=0.8 --block-option mode=avg` -> {survival: 0.8, mode: 'avg'}: a value that
 * reads as JSON (numbers, booleans, arrays) is that value, anything else a string.
 */
export function parseBlockOptions(values: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const entry of values) {
    const i = entry.indexOf('=');
    if (i <= 0) throw new UserError(`--block-option: expected key=value, got "${entry}"`);
    const raw = entry.slice(i + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare word: the string itself
    }
    options[entry.slice(0, i)] = value;
  }
  return options;
}

/** `--classes 5,6,7,8,9` -> [5, 6, 7, 8, 9]; anything else is refused by name. */
export function parseClassesFlag(value: string): number[] {
  const labels = value.split(',').map((s) => s.trim());
  if (labels.some((s) => !/^\d+$/.test(s)))
    throw new UserError(`--classes: expected labels like 5,6,7,8,9, got "${value}"`);
  return labels.map(Number);
}

export function configFromArgs(a: TrainArgs): Record<string, any> {
  const base: Record<string, any> = a.config ? readJson(a.config) : {};
  const set = (path: string, value: unknown): void => {
    if (value === undefined) return;
    const [section, key] = path.split('.');
    if (key === undefined) base[section] = value;
    else base[section] = { ...(base[section] ?? {}), [key]: value };
  };
  const args = a as Record<string, unknown>;
  for (const [flag, , path] of CONFIG_FLAGS) {
    const value = args[camel(flag)];
    if (value === undefined) continue;
    if (flag === 'data') {
      const d = parseDataFlag(String(value));
      set('data.name', d.name);
      set('data.path', d.path);
    } else if (flag === 'classes') set(path, parseClassesFlag(String(value)));
    else set(path, value);
  }
  if (a.blockOption?.length)
    set('model.blockOptions', { ...(base.model?.blockOptions ?? {}), ...parseBlockOptions(a.blockOption) });
  if (!a.probes) set('probe.enabled', false);
  return base;
}

function readJson(path: string): Record<string, any> {
  return readJsonFile(path) as Record<string, any>;
}

const command: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train one network and record its gradient flow under results/',
  builder: (y: Argv) =>
    CONFIG_FLAGS.reduce(
      (yy, [flag, type, , describe]) => yy.option(flag, { type, describe }),
      y.option('config', {
        type: 'string',
        describe: 'single-run config JSON (data/model/train/probe/seed); flags override it',
      }),
    )
      .option('probes', {
        type: 'boolean',
        default: true,
        describe: 'record per-layer statistics (--no-probes to skip)',
      })
      .option('out', {
        type: 'string',
        default: 'results/train',
        describe: 'results directory of this experiment',
      })
      .option('id', { type: 'string', describe: 'run id (default from the config)' })
      .option('block-option', {
        type: 'string',
        array: true,
        describe: "key=value for the block's options (model.blockOptions), repeatable",
      })
      .option('plugin', PLUGIN_OPTION)
      .option('allow-numerics-change', NUMERICS_OPTION)
      .options(BACKEND_OPTIONS)
      .option('retrain', {
        type: 'string',
        describe:
          'changed: retrain a run whose directory holds another configuration; damaged: one whose files are damaged',
      })
      .example(
        '$0 train --model cifar --depth 20 --block basic --data synthetic --epochs 1',
        'ResNet-20 on the built-in synthetic task',
      )
      .example(
        '$0 train --model cifar --depth 20 --block plain --data fashion-mnist:/usr/share/datasets/fashion-mnist --epochs 1',
        'plain-20 on Fashion-MNIST',
      )
      .example(
        '$0 train --classes 5,6,7,8,9 --labels-per-class 100 --from results/train/cifar-basic-d20-s0 --mode linear',
        'a linear probe on a pretrained run, 100 labels per class of classes 5-9',
      )
      .example(
        '$0 train --config run.json --seed 3',
        'a config file, with one flag overridden',
      ) as Argv<TrainArgs>,
  handler: async (args: ArgumentsCamelCase<TrainArgs>) => {
    const { RunConfig } = await import('../../config/schema.js');
    const parsed = RunConfig.safeParse(configFromArgs(args));
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('\n');
      throw new UserError(`invalid run configuration:\n${problems}`);
    }
    const cfg = parsed.data;
    const { parseRetrain } = await import('../../train/run-state.js');
    const retrain = parseRetrain(args.retrain);
    const { runTraining } = await import('../../train/run.js');
    const { runProgress } = await import('../progress.js');
    const { runId } = await import('../../sweep/run-id.js');
    // The id a sweep would give this run; a transfer run also names how it adapts and its budget.
    const id = args.id ?? runId(cfg, [{ path: 'transfer.mode' }, { path: 'data.labelsPerClass' }]);
    const progress = runProgress(id);
    const resultsDir = resolve(args.out);
    try {
      const manifest = await runTraining(
        {
          id,
          experiment: resultsDir.split('/').pop()!,
          config: cfg,
          plugins: args.plugin?.map((p) => resolve(p)),
        },
        {
          resultsDir,
          backend: args.backend,
          threads: args.threads,
          onProgress: (p) => progress.update(p),
          retrain,
          allowNumericsChange: args.allowNumericsChange,
          otherName: 'another --id or --out',
        },
      );
      progress.stop();
      const f = manifest.final;
      const summary = f
        ? `train error ${(100 * f.trainError).toFixed(2)}%, test error ${(100 * f.testError).toFixed(2)}%`
        : (manifest.statusReason ?? '');
      console.log(
        `${id}: ${manifest.status} after ${manifest.steps} steps in ${(manifest.wallSeconds ?? 0).toFixed(1)} s; ${summary}`,
      );
      console.log(`results: ${resolve(resultsDir, id)}`);
      if (manifest.status === 'interrupted') process.exitCode = 130; // resumable
    } finally {
      progress.stop();
    }
  },
};

export default command;
