// `gradflow train`: one run from flags or from a single-run config file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface TrainArgs {
  config?: string;
  model?: string;
  depth?: number;
  block?: string;
  width?: number;
  norm?: string;
  activation?: string;
  init?: string;
  shortcut?: string;
  variant?: string;
  data?: string;
  size?: number;
  channels?: number;
  trainSize?: number;
  testSize?: number;
  augment?: boolean;
  classes?: string;
  labelsPerClass?: number;
  from?: string;
  mode?: string;
  stages?: number;
  epochs?: number;
  steps?: number;
  batch?: number;
  lr?: number;
  optimizer?: string;
  probeEvery?: number;
  probes: boolean;
  seed?: number;
  out: string;
  id?: string;
  backend?: string;
  threads?: number;
  plugin?: string[];
  retrain?: string;
}

/** `--data fashion-mnist:/usr/share/datasets/fashion-mnist` -> {name, path}. */
export function parseDataFlag(value: string): { name: string; path?: string } {
  const i = value.indexOf(':');
  return i < 0 ? { name: value } : { name: value.slice(0, i), path: value.slice(i + 1) };
}

/** `--classes 5,6,7,8,9` -> [5, 6, 7, 8, 9]; anything else is refused by name. */
export function parseClassesFlag(value: string): number[] {
  const labels = value.split(',').map((s) => s.trim());
  if (labels.some((s) => !/^\d+$/.test(s))) throw new UserError(`--classes: expected labels like 5,6,7,8,9, got "${value}"`);
  return labels.map(Number);
}

export function configFromArgs(a: TrainArgs): Record<string, any> {
  const base: Record<string, any> = a.config ? readJson(a.config) : {};
  const set = (section: string, key: string, value: unknown) => {
    if (value === undefined) return;
    base[section] = { ...(base[section] ?? {}), [key]: value };
  };
  set('model', 'family', a.model);
  set('model', 'depth', a.depth);
  set('model', 'block', a.block);
  set('model', 'width', a.width);
  set('model', 'norm', a.norm);
  set('model', 'activation', a.activation);
  set('model', 'init', a.init);
  set('model', 'shortcut', a.shortcut);
  set('model', 'variant', a.variant);
  if (a.data) {
    const d = parseDataFlag(a.data);
    set('data', 'name', d.name);
    set('data', 'path', d.path);
  }
  set('data', 'size', a.size);
  set('data', 'channels', a.channels);
  set('data', 'trainSize', a.trainSize);
  set('data', 'testSize', a.testSize);
  set('data', 'augment', a.augment);
  if (a.classes !== undefined) set('data', 'classes', parseClassesFlag(a.classes));
  set('data', 'labelsPerClass', a.labelsPerClass);
  set('transfer', 'from', a.from);
  set('transfer', 'mode', a.mode);
  set('transfer', 'stages', a.stages);
  set('train', 'epochs', a.epochs);
  set('train', 'steps', a.steps);
  set('train', 'batchSize', a.batch);
  set('train', 'lr', a.lr);
  set('train', 'optimizer', a.optimizer);
  set('probe', 'every', a.probeEvery);
  if (!a.probes) set('probe', 'enabled', false);
  if (a.seed !== undefined) base.seed = a.seed;
  return base;
}

function readJson(path: string): Record<string, any> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path}: ${(e as Error).message}`);
  }
}

const command: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train one network and record its gradient flow under results/',
  builder: (y: Argv) =>
    y
      .option('config', { type: 'string', describe: 'single-run config JSON (data/model/train/probe/seed); flags override it' })
      .option('model', { type: 'string', describe: 'family: cifar | mlp | vgg | resnet' })
      .option('depth', { type: 'number', describe: 'weighted layers (cifar: 6n+2)' })
      .option('block', { type: 'string', describe: 'registered block (gradflow blocks)' })
      .option('width', { type: 'number', describe: 'cifar: first-stage filters; mlp: units' })
      .option('norm', { type: 'string', describe: 'batch | layer | none' })
      .option('activation', { type: 'string', describe: 'relu | tanh | sigmoid' })
      .option('init', { type: 'string', describe: 'he | glorot | lecun' })
      .option('shortcut', { type: 'string', describe: 'A | B | C (He et al. 2015)' })
      .option('variant', { type: 'string', describe: 'vgg/resnet variant, e.g. vgg11, resnet18' })
      .option('data', { type: 'string', describe: 'synthetic | synthetic-vectors | mnist:DIR | fashion-mnist:DIR | cifar10:DIR' })
      .option('size', { type: 'number', describe: 'synthetic image size' })
      .option('channels', { type: 'number', describe: 'synthetic image channels' })
      .option('train-size', { type: 'number', describe: 'training examples (cap)' })
      .option('test-size', { type: 'number', describe: 'test examples (cap)' })
      .option('augment', { type: 'boolean', describe: 'pad-crop-flip augmentation' })
      .option('classes', { type: 'string', describe: 'keep only these labels, e.g. 5,6,7,8,9 (relabelled 0..k-1)' })
      .option('labels-per-class', { type: 'number', describe: 'label budget per class (drawn per seed)' })
      .option('from', { type: 'string', describe: 'transfer: a completed run directory to start from' })
      .option('mode', { type: 'string', describe: 'transfer: linear | finetune | finetune-last | scratch' })
      .option('stages', { type: 'number', describe: 'transfer finetune-last: how many last stages train' })
      .option('epochs', { type: 'number' })
      .option('steps', { type: 'number', describe: 'overrides --epochs' })
      .option('batch', { type: 'number', describe: 'batch size' })
      .option('lr', { type: 'number', describe: 'base learning rate' })
      .option('optimizer', { type: 'string', describe: 'sgd | adam' })
      .option('probe-every', { type: 'number', describe: 'steps between per-layer probes' })
      .option('probes', { type: 'boolean', default: true, describe: 'record per-layer statistics (--no-probes to skip)' })
      .option('seed', { type: 'number' })
      .option('out', { type: 'string', default: 'results/train', describe: 'results directory of this experiment' })
      .option('id', { type: 'string', describe: 'run id (default from the config)' })
      .option('plugin', { type: 'string', array: true, describe: 'block plugin file(s) to load first' })
      .option('backend', { type: 'string', describe: 'force a backend (gradflow backends lists them)' })
      .option('threads', { type: 'number', describe: 'backend threads (default: all cores)' })
      .option('retrain', {
        type: 'string',
        describe: 'changed: retrain a run whose directory holds another configuration; damaged: one whose files are damaged',
      })
      .example('$0 train --model cifar --depth 20 --block basic --data synthetic --epochs 1', 'ResNet-20 on the built-in synthetic task')
      .example('$0 train --model cifar --depth 20 --block plain --data fashion-mnist:/usr/share/datasets/fashion-mnist --epochs 1', 'plain-20 on Fashion-MNIST')
      .example(
        '$0 train --classes 5,6,7,8,9 --labels-per-class 100 --from results/train/cifar-basic-d20-s0 --mode linear',
        'a linear probe on a pretrained run, 100 labels per class of classes 5-9',
      )
      .example('$0 train --config run.json --seed 3', 'a config file, with one flag overridden') as Argv<TrainArgs>,
  handler: async (args: ArgumentsCamelCase<TrainArgs>) => {
    const { RunConfig } = await import('../../config/schema.js');
    const parsed = RunConfig.safeParse(configFromArgs(args));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
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
        { id, experiment: resultsDir.split('/').pop()!, config: cfg, plugins: args.plugin?.map((p) => resolve(p)) },
        {
          resultsDir,
          backend: args.backend,
          threads: args.threads,
          onProgress: (p) => progress.update(p),
          retrain,
          otherName: 'another --id or --out',
        },
      );
      progress.stop();
      const f = manifest.final;
      const summary = f
        ? `train error ${(100 * f.trainError).toFixed(2)}%, test error ${(100 * f.testError).toFixed(2)}%`
        : (manifest.statusReason ?? '');
      console.log(`${id}: ${manifest.status} after ${manifest.steps} steps in ${(manifest.wallSeconds ?? 0).toFixed(1)} s; ${summary}`);
      console.log(`results: ${resolve(resultsDir, id)}`);
      if (manifest.status === 'running') process.exitCode = 130; // interrupted: resumable
    } finally {
      progress.stop();
    }
  },
};

export default command;
