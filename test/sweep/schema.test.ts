// The committed JSON Schema is the one the zod schema generates, and every shipped experiment
// names it and passes the same validation `gradflow run` applies.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { experimentSchemaText, schemaFile } from '../../src/sweep/write-schema.js';
import { loadExperiment } from '../../src/sweep/load.js';
import { configPathExists } from '../../src/sweep/config-path.js';
import { repoRoot } from './cli-helper.js';

const experimentsDir = join(repoRoot, 'experiments');
const shipped = readdirSync(experimentsDir).filter((f) => f.endsWith('.json'));

describe('schema/experiment.schema.json', () => {
  it('equals the schema generated from src/sweep/experiment.ts (regenerate: node dist/sweep/write-schema.js)', () => {
    expect(schemaFile).toBe(join(repoRoot, 'schema', 'experiment.schema.json'));
    // Compared as data, so reformatting the file (prettier) does not matter.
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(JSON.parse(experimentSchemaText()));
  });

  it('describes the sweep and the run config editors complete from', () => {
    const schema = JSON.parse(experimentSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'name',
      'description',
      'base',
      'sweep',
      'seeds',
      'include',
      'exclude',
      'pretrain',
      'plugins',
      'analyses',
    ]);
    expect(schema.properties.base.properties.model.properties.norm.enum).toEqual(['batch', 'layer', 'none']);
    expect(schema.properties.sweep.additionalProperties).toMatchObject({ type: 'array', minItems: 1 });
    expect(schema.required ?? []).toEqual([]);
  });
});

describe('sweep keys in the JSON Schema', () => {
  it('are exactly the config paths the validator accepts, so editors complete what runs', () => {
    const schema = JSON.parse(experimentSchemaText());
    const keys = schema.properties.sweep.propertyNames.anyOf;
    const paths: string[] = keys[0].enum;
    expect(paths).toEqual(
      expect.arrayContaining([
        'seed',
        'model.depth',
        'model.block',
        'train.schedule',
        'train.schedule.milestones',
        'train.warmup.belowError',
      ]),
    );
    for (const path of paths) expect(configPathExists(path)).toBe(true);
    expect(paths).not.toContain('model.depht');
    expect(keys.slice(1)).toContainEqual({ type: 'string', pattern: '^model\\.blockOptions\\..+' });
    expect(configPathExists('model.blockOptions.zeroInit')).toBe(true);
    expect(schema.properties.include.items.propertyNames).toEqual(schema.properties.sweep.propertyNames);
  });
});

describe('shipped experiments', () => {
  it('include the four the toolkit promises', () => {
    expect(shipped.sort()).toEqual(
      expect.arrayContaining([
        'fashion-mnist-degradation.json',
        'he2015-cifar10.json',
        'quick.json',
        'vanishing-mlp.json',
      ]),
    );
  });

  it.each(shipped)('%s names the schema and validates', async (file) => {
    const raw = JSON.parse(readFileSync(join(experimentsDir, file), 'utf8'));
    expect(raw.$schema).toBe('../schema/experiment.schema.json');
    const experiment = await loadExperiment(join(experimentsDir, file));
    expect(experiment.name).toBe(file.replace(/\.json$/, ''));
    expect(experiment.specs.length).toBeGreaterThan(0);
    expect(new Set(experiment.specs.map((s) => s.id)).size).toBe(experiment.specs.length);
  });

  it('the Fashion-MNIST depth study: plain vs residual at 20/32/56, 3 seeds, He recipe, plus the no-norm pair', async () => {
    const { specs } = await loadExperiment(join(experimentsDir, 'fashion-mnist-degradation.json'));
    const bn = specs.filter((s) => s.config.model.norm === 'batch');
    expect(bn.map((s) => `${s.config.model.block}-${s.config.model.depth}-${s.config.seed}`).sort()).toEqual(
      ['plain', 'basic']
        .flatMap((b) => [20, 32, 56].flatMap((d) => [0, 1, 2].map((seed) => `${b}-${d}-${seed}`)))
        .sort(),
    );
    for (const s of bn) {
      expect(s.config.data).toMatchObject({ name: 'fashion-mnist', augment: false });
      expect(s.config.train).toMatchObject({
        optimizer: 'sgd',
        lr: 0.1,
        momentum: 0.9,
        weightDecay: 1e-4,
        batchSize: 128,
      });
      expect(s.config.train.schedule).toMatchObject({ type: 'step', milestones: [0.5, 0.75], gamma: 0.1 });
      expect(s.config.probe.enabled).toBe(true);
    }
    const noNorm = specs.filter((s) => s.config.model.norm === 'none');
    expect(noNorm.map((s) => `${s.config.model.block}-${s.config.model.depth}`).sort()).toEqual([
      'plain-20',
      'plain-20',
      'plain-20',
      'rezero-20',
      'rezero-20',
      'rezero-20',
    ]);
  });

  it('he2015-cifar10 follows the paper recipe', async () => {
    const { specs } = await loadExperiment(join(experimentsDir, 'he2015-cifar10.json'));
    expect(specs.map((s) => s.id)).toEqual([
      'cifar-plain-d20-s0',
      'cifar-plain-d32-s0',
      'cifar-plain-d44-s0',
      'cifar-plain-d56-s0',
      'cifar-basic-d20-s0',
      'cifar-basic-d32-s0',
      'cifar-basic-d44-s0',
      'cifar-basic-d56-s0',
      'cifar-plain-d110-s0-warmupuntil-error',
      'cifar-basic-d110-s0-warmupuntil-error',
    ]);
    for (const { config } of specs) {
      expect(config.train).toMatchObject({
        lr: 0.1,
        momentum: 0.9,
        weightDecay: 1e-4,
        batchSize: 128,
        steps: 64000,
      });
      // lr / 10 at 32k and 48k iterations
      expect(config.train.schedule).toEqual({ type: 'step', milestones: [0.5, 0.75], gamma: 0.1 });
      expect(config.data).toMatchObject({ name: 'cifar10', validation: 0.1, augment: true });
      expect(config.train.warmup !== undefined).toBe(config.model.depth === 110);
    }
  });
});
