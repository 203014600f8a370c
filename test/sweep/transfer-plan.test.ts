// Planning transfer experiments: the pretrain section, @run-id references and their problems, an
// axis of whole models, and selections (--only, --shard) that keep a run with its source.
import { planExperiment } from '../../src/sweep/plan.js';
import { checkerForBlocks } from '../../src/sweep/model-check.js';
import { rootRunIds, sourceRunId, withSources } from '../../src/sweep/dependencies.js';
import { takeShard } from '../../src/sweep/shard.js';

const checker = checkerForBlocks({ plain: 2, basic: 2 });
const plan = (raw: unknown) => planExperiment(raw, 'exp', checker);
const runsOf = (raw: unknown) => {
  const result = plan(raw);
  if (!result.plan) throw new Error(JSON.stringify(result.problems));
  return result.plan.runs;
};

const transferExperiment = {
  base: {
    data: { classes: [5, 6, 7, 8, 9] },
    model: { width: 8, depth: 8 },
    train: { steps: 20, lr: 0.01 },
    transfer: { mode: 'linear' },
  },
  pretrain: { 'data.classes': [0, 1, 2, 3, 4], 'train.steps': 100, 'train.lr': 0.1 },
  sweep: {
    model: [
      { family: 'cifar', block: 'plain', depth: 8, width: 8 },
      { family: 'cifar', block: 'basic', depth: 8, width: 8 },
      { family: 'vgg', variant: 'vgg11_bn', width: 8, blockOptions: { width: 8 } },
    ],
    'transfer.mode': ['linear', 'finetune'],
  },
  seeds: [0, 1],
};

describe('pretrain section', () => {
  const runs = runsOf(transferExperiment);
  const pretrained = runs.filter((r) => !r.config.transfer);
  const transfers = runs.filter((r) => r.config.transfer);

  it('plans one source run per model and seed, first, trained on base + pretrain without transfer', () => {
    expect(pretrained.map((r) => r.id)).toEqual([
      'cifar-plain-d8-s0-pretrain',
      'cifar-plain-d8-s1-pretrain',
      'cifar-basic-d8-s0-pretrain',
      'cifar-basic-d8-s1-pretrain',
      'vgg11_bn-s0-pretrain',
      'vgg11_bn-s1-pretrain',
    ]);
    expect(runs.slice(0, 6)).toEqual(pretrained);
    const source = pretrained[2].config;
    expect(source.data.classes).toEqual([0, 1, 2, 3, 4]);
    expect(source.train).toMatchObject({ steps: 100, lr: 0.1 });
    expect(source.model).toMatchObject({ block: 'basic', depth: 8, width: 8 });
    expect(source.seed).toBe(0);
  });

  it('points every transfer run at the source with its own model and seed', () => {
    expect(transfers).toHaveLength(12);
    for (const run of transfers) {
      const source = runs.find((r) => r.id === sourceRunId(run.config))!;
      expect(source.config.model).toEqual(run.config.model);
      expect(source.config.seed).toBe(run.config.seed);
      expect(run.config.data.classes).toEqual([5, 6, 7, 8, 9]);
      expect(run.config.train.steps).toBe(20);
    }
    expect(transfers.map((r) => r.id)).toContain('vgg11_bn-s1-finetune');
    expect(transfers.map((r) => r.id)).toContain('cifar-plain-d8-s0-linear');
  });

  it('gives runs from scratch (the baseline) no source and no pretrained run of their own', () => {
    const runs = runsOf({
      ...transferExperiment,
      sweep: { ...transferExperiment.sweep, 'transfer.mode': ['linear', 'scratch'] },
    });
    const scratch = runs.filter((r) => r.config.transfer?.mode === 'scratch');
    expect(scratch).toHaveLength(6);
    for (const run of scratch)
      expect([run.id, run.config.transfer!.from, sourceRunId(run.config)]).toEqual([
        run.id,
        undefined,
        undefined,
      ]);
    expect(runs.filter((r) => r.id.endsWith('-pretrain'))).toHaveLength(6);
    expect(scratch[0].id).toBe('cifar-plain-d8-s0-scratch');
  });

  it('leaves a run that names its own source alone', () => {
    const withOwn = runsOf({
      ...transferExperiment,
      include: [
        { 'model.block': 'plain', 'transfer.from': '/runs/elsewhere', 'transfer.mode': 'finetune-last' },
      ],
    });
    const own = withOwn.filter((r) => r.config.transfer?.from === '/runs/elsewhere');
    expect(own).toHaveLength(2); // one per seed
  });

  it('reports a pretrain section nothing uses, and a transfer with no source', () => {
    const unused = plan({ pretrain: { 'train.steps': 10 }, sweep: { 'model.depth': [8] } });
    expect(unused.problems).toEqual([
      { path: 'pretrain', message: expect.stringMatching(/nothing would use/) },
    ]);
    const noSource = plan({ base: { transfer: { mode: 'linear' } } });
    expect(noSource.problems).toEqual([
      { path: 'base.transfer.from', message: expect.stringMatching(/no transfer\.from.*pretrain/) },
    ]);
    const badOverride = plan({ ...transferExperiment, pretrain: { 'train.stepz': 3, 'train.lr': -1 } });
    expect(badOverride.problems.map((p) => p.path)).toEqual([
      'pretrain["train.stepz"]',
      'pretrain["train.lr"]',
    ]);
  });
});

describe('label budgets', () => {
  it('refuses, before any run, a budget smaller than one batch, at the value that set it', () => {
    const result = plan({
      base: { data: { classes: [5, 6, 7, 8, 9] }, train: { batchSize: 64 } },
      sweep: { 'data.labelsPerClass': [10, 30] },
    });
    expect(result.problems).toEqual([
      {
        path: 'sweep["data.labelsPerClass"][0]',
        message: 'data.labelsPerClass 10 leaves 50 training examples, fewer than train.batchSize 64',
      },
    ]);
  });
});

describe('@run-id references', () => {
  const base = { model: { depth: 8 }, train: { steps: 5 } };

  it('accepts a reference to a run of the experiment', () => {
    const runs = runsOf({
      base,
      include: [{ 'model.depth': 14, 'transfer.from': '@cifar-basic-d8-s0', 'transfer.mode': 'linear' }],
    });
    expect(runs.map((r) => [r.id, sourceRunId(r.config)])).toEqual([
      ['cifar-basic-d8-s0', undefined],
      ['cifar-basic-d14-s0-fromcifar-basic-d8-s0-linear', 'cifar-basic-d8-s0'],
    ]);
  });

  it('names an unknown run at the value that set it, with the runs it could name', () => {
    const result = plan({ base, include: [{ 'model.depth': 14, 'transfer.from': '@cifar-basic-d20-s0' }] });
    expect(result.problems).toEqual([
      {
        path: 'include[0]["transfer.from"]',
        message: expect.stringMatching(
          /@cifar-basic-d20-s0, which is not a run of this experiment.*cifar-basic-d8-s0/,
        ),
      },
    ]);
  });

  it('refuses a run that depends on itself', () => {
    const result = plan({ base: { ...base, transfer: { from: '@cifar-basic-d8-s0' } } });
    expect(result.problems).toEqual([
      {
        path: 'base.transfer.from',
        message: expect.stringMatching(/depends on itself.*cifar-basic-d8-s0 -> cifar-basic-d8-s0/),
      },
    ]);
  });
});

describe('an axis of whole objects', () => {
  it('names runs by the leaves that differ once defaults are filled, not by a JSON dump', () => {
    const ids = runsOf({
      sweep: {
        model: [
          { block: 'plain', depth: 8 },
          { block: 'plain', depth: 8, norm: 'none' },
          { block: 'basic', depth: 8, norm: 'batch' },
        ],
      },
    }).map((r) => r.id);
    expect(ids).toEqual([
      'cifar-plain-d8-s0-normbatch',
      'cifar-plain-d8-s0-normnone',
      'cifar-basic-d8-s0-normbatch',
    ]);
  });

  it('adds a leaf only where it tells runs apart: a scale that goes with the mode adds nothing', () => {
    const from = '/runs/source'; // an axis value replaces the whole object at its path
    const model = [
      { family: 'vgg', variant: 'vgg11_bn', blockOptions: { width: 8 } },
      { family: 'vgg', variant: 'vgg11_bn' },
    ];
    const idsFor = (transfer: unknown[]) => runsOf({ sweep: { transfer, model } }).map((r) => r.id);
    expect(
      idsFor([
        { from, mode: 'linear', lrScale: { head: 100 } },
        { from, mode: 'finetune', lrScale: { head: 10 } },
      ]),
    ).toEqual([
      'vgg11_bn-s0-linear-width8',
      'vgg11_bn-s0-linear',
      'vgg11_bn-s0-finetune-width8',
      'vgg11_bn-s0-finetune',
    ]);
    const ids = runsOf({
      sweep: {
        transfer: [
          { from, mode: 'linear', lrScale: { head: 100 } },
          { from, mode: 'finetune', lrScale: { head: 10 } },
          { from, mode: 'finetune', lrScale: { head: 1 } },
        ],
        model: [
          { family: 'vgg', variant: 'vgg11_bn', blockOptions: { width: 8 } },
          { family: 'vgg', variant: 'vgg11_bn' },
        ],
      },
    }).map((r) => r.id);
    expect(ids).toEqual([
      'vgg11_bn-s0-linear-head100-width8',
      'vgg11_bn-s0-linear-head100',
      'vgg11_bn-s0-finetune-head10-width8',
      'vgg11_bn-s0-finetune-head10',
      'vgg11_bn-s0-finetune-head1-width8',
      'vgg11_bn-s0-finetune-head1',
    ]);
  });

  it('still names a swept schedule by its type', () => {
    const ids = runsOf({ sweep: { 'train.schedule': [{ type: 'cosine' }, { type: 'constant' }] } }).map(
      (r) => r.id,
    );
    expect(ids).toEqual(['cifar-basic-d20-s0-schedulecosine', 'cifar-basic-d20-s0-scheduleconstant']);
  });
});

describe('selections keep a run with its source', () => {
  const runs = runsOf(transferExperiment);

  it('--only brings the source of a selected transfer run', () => {
    const picked = withSources(
      runs.filter((r) => r.id === 'cifar-basic-d8-s1-finetune'),
      runs,
    );
    expect(picked.map((r) => r.id)).toEqual(['cifar-basic-d8-s1-pretrain', 'cifar-basic-d8-s1-finetune']);
  });

  it('--shard deals out a source with its dependents, covering every run once', () => {
    const count = 4;
    const shards = Array.from({ length: count }, (_, index) =>
      takeShard(runs, { index, count }, rootRunIds(runs)),
    );
    expect(
      shards
        .flat()
        .map((r) => r.id)
        .sort(),
    ).toEqual(runs.map((r) => r.id).sort());
    for (const shard of shards) {
      const ids = new Set(shard.map((r) => r.id));
      for (const run of shard) {
        const source = sourceRunId(run.config);
        if (source)
          expect({ run: run.id, hasSource: ids.has(source) }).toEqual({ run: run.id, hasSource: true });
      }
    }
    expect(shards.every((s) => s.length > 0)).toBe(true);
  });
});
