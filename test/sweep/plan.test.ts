// Grid expansion, include/exclude, run ids and the problems a bad experiment file produces.
import { planExperiment } from '../../src/sweep/plan.js';
import { checkerForBlocks } from '../../src/sweep/model-check.js';
import { parseShard, takeShard } from '../../src/sweep/shard.js';
import { RunConfig } from '../../src/config/schema.js';
import { resolveAnalyses } from '../../src/analyses/registry.js';

const checker = checkerForBlocks({ plain: 2, basic: 2, bottleneck: 3 });
const plan = (raw: unknown) => planExperiment(raw, 'exp', checker);
const ids = (raw: unknown) => {
  const result = plan(raw);
  if (!result.plan) throw new Error(JSON.stringify(result.problems));
  return result.plan.runs.map((r) => r.id);
};

describe('grid expansion', () => {
  it('expands the full grid in file order, first axis slowest, seeds innermost', () => {
    expect(
      ids({ sweep: { 'model.block': ['plain', 'basic'], 'model.depth': [20, 32] }, seeds: [0, 1] }),
    ).toEqual([
      'cifar-plain-d20-s0',
      'cifar-plain-d20-s1',
      'cifar-plain-d32-s0',
      'cifar-plain-d32-s1',
      'cifar-basic-d20-s0',
      'cifar-basic-d20-s1',
      'cifar-basic-d32-s0',
      'cifar-basic-d32-s1',
    ]);
  });

  it('fills defaults and applies sweep values over the base', () => {
    const result = plan({
      base: { train: { lr: 0.05 }, model: { width: 8 } },
      sweep: { 'model.depth': [8, 14] },
    });
    const runs = result.plan!.runs;
    expect(runs).toHaveLength(2);
    expect(runs[1].config).toEqual(RunConfig.parse({ train: { lr: 0.05 }, model: { width: 8, depth: 14 } }));
  });

  it('adds a facet only for other paths that vary', () => {
    expect(
      ids({ sweep: { 'model.norm': ['batch', 'none'], 'train.lr': [0.01], 'model.depth': [8] } }),
    ).toEqual(['cifar-basic-d8-s0-normbatch', 'cifar-basic-d8-s0-normnone']);
    expect(ids({ sweep: { 'train.lr': [0.1, 0.01], 'model.blockOptions.zeroInit': [true, false] } })).toEqual(
      [
        'cifar-basic-d20-s0-lr0.1-zeroInittrue',
        'cifar-basic-d20-s0-lr0.1-zeroInitfalse',
        'cifar-basic-d20-s0-lr0.01-zeroInittrue',
        'cifar-basic-d20-s0-lr0.01-zeroInitfalse',
      ],
    );
  });

  it('sweeps into a union (the schedule) with defaults filled per option', () => {
    const result = plan({ sweep: { 'train.schedule.type': ['step', 'cosine'] } });
    expect(result.problems).toEqual([]);
    expect(result.plan!.runs.map((r) => r.config.train.schedule)).toEqual([
      { type: 'step', milestones: [0.5, 0.75], gamma: 0.1 },
      { type: 'cosine', minLr: 0 },
    ]);
  });

  it('gives the same ids and order for the same file (stable), whatever else is added to the grid', () => {
    const small = { sweep: { 'model.block': ['plain', 'basic'], 'model.depth': [20] }, seeds: [0] };
    const bigger = { sweep: { 'model.block': ['plain', 'basic'], 'model.depth': [20, 56] }, seeds: [0, 1] };
    expect(ids(small)).toEqual(ids(structuredClone(small)));
    for (const id of ids(small)) expect(ids(bigger)).toContain(id);
  });

  it('names the experiment after the file unless it says otherwise', () => {
    expect(plan({}).plan!.name).toBe('exp');
    expect(plan({ name: 'mine' }).plan!.name).toBe('mine');
    expect(plan({}).plan!.runs.map((r) => r.id)).toEqual(['cifar-basic-d20-s0']);
  });
});

describe('include and exclude', () => {
  const grid = { sweep: { 'model.block': ['plain', 'basic'], 'model.depth': [20, 32, 56] } };
  /** The ids of the grid cut to depth 20, then of the `include` runs. */
  const depth20With = (include: Record<string, unknown>[]) =>
    ids({ ...grid, exclude: [{ 'model.depth': [32, 56] }], include });

  it('drops the runs matching every entry of an exclude pattern (a list is any of)', () => {
    expect(ids({ ...grid, exclude: [{ 'model.block': 'plain', 'model.depth': [32, 56] }] })).toEqual([
      'cifar-plain-d20-s0',
      'cifar-basic-d20-s0',
      'cifar-basic-d32-s0',
      'cifar-basic-d56-s0',
    ]);
  });

  it('appends include runs after the grid, with facets for the paths they set, and skips repeats', () => {
    expect(
      depth20With([
        { 'model.block': 'bottleneck', 'model.depth': 29 },
        { 'model.block': 'basic', 'model.depth': 20 },
      ]),
    ).toEqual(['cifar-plain-d20-s0', 'cifar-basic-d20-s0', 'cifar-bottleneck-d29-s0']);
  });

  it('marks what an include run changes from the base, and only there', () => {
    expect(
      depth20With([
        { 'model.block': 'basic', 'model.depth': 110, 'train.warmup': { type: 'until-error' } },
        { 'model.block': 'plain', 'model.depth': 8, 'model.norm': 'none' },
        { 'model.block': 'plain', 'model.depth': 8, 'model.norm': 'batch' },
      ]),
    ).toEqual([
      'cifar-plain-d20-s0',
      'cifar-basic-d20-s0',
      'cifar-basic-d110-s0-warmupuntil-error',
      'cifar-plain-d8-s0-normnone',
      'cifar-plain-d8-s0',
    ]);
  });

  it('repeats an include run for every seed unless it names its own', () => {
    expect(
      ids({
        sweep: { 'model.depth': [20] },
        seeds: [0, 1],
        include: [{ 'model.depth': 110 }, { 'model.depth': 56, seed: 7 }],
      }),
    ).toEqual([
      'cifar-basic-d20-s0',
      'cifar-basic-d20-s1',
      'cifar-basic-d110-s0',
      'cifar-basic-d110-s1',
      'cifar-basic-d56-s7',
    ]);
  });

  it('reports a sweep whose every run is excluded', () => {
    expect(plan({ ...grid, exclude: [{ 'model.depth': [20, 32, 56] }] }).problems).toEqual([
      { path: 'exclude', message: 'every run of the sweep is excluded; nothing to run' },
    ]);
  });
});

describe('bad experiment files: every problem, by its JSON path', () => {
  it('reports unknown keys, wrong types, bad sweep paths, unknown blocks and impossible depths together', () => {
    const { plan: ok, problems } = plan({
      nmae: 'typo',
      base: { model: { depht: 20 }, train: { lr: 'fast' } },
      sweep: {
        'model.dpeth': [20],
        'model.block': ['basic', 'resnext'],
        'model.depth': [20, 21],
        'train.batchSize': [128, 0.5],
      },
      include: [{ 'train.nope': 1 }],
      exclude: [{ 'model.colour': 'red' }],
    });
    expect(ok).toBeUndefined();
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'nmae',
        'base.model.depht',
        'base.train.lr',
        'sweep["model.dpeth"]',
        'sweep["train.batchSize"][1]',
        'include[0]["train.nope"]',
        'exclude[0]["model.colour"]',
        // found even though the base has problems of its own
        'sweep["model.block"][1]',
        'sweep["model.depth"][1]',
      ]),
    );
    expect(problems.find((p) => p.path === 'nmae')!.message).toBe('unknown key');
    expect(problems.find((p) => p.path === 'sweep["model.dpeth"]')!.message).toMatch(/not a run config path/);
  });

  it('points at the sweep value for an unknown block and an impossible depth', () => {
    const { problems } = plan({
      sweep: { 'model.block': ['basic', 'resnext', 'bottleneck'], 'model.depth': [20, 21, 29] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'sweep["model.block"][1]', message: expect.stringMatching(/unknown block "resnext"/) },
        {
          path: 'sweep["model.depth"][1]',
          message: expect.stringMatching(
            /depth 21 is impossible for family "cifar" with block "basic" .*: depth must be 6n\+2/,
          ),
        },
        {
          path: 'sweep["model.depth"][1]',
          message: expect.stringMatching(
            /depth 21 is impossible for family "cifar" with block "bottleneck" .*: depth must be 9n\+2/,
          ),
        },
        // 29 = 9·3+2 fits a bottleneck network but not a basic one (6n+2); 20 fits both.
        {
          path: 'sweep["model.depth"][2]',
          message: expect.stringMatching(
            /depth 29 is impossible for family "cifar" with block "basic" .*: depth must be 6n\+2/,
          ),
        },
      ]),
    );
    expect(problems).toHaveLength(4);
    // One message per place and reason, however many runs share it.
    expect(new Set(problems.map((p) => `${p.path} ${p.message}`)).size).toBe(problems.length);
  });

  it('points at base when the base value is at fault', () => {
    expect(plan({ base: { model: { depth: 21 } } }).problems).toEqual([
      { path: 'base.model.depth', message: expect.stringMatching(/depth 21 is impossible/) },
    ]);
  });

  it('rejects empty value lists, non-list sweep values and seeds given twice', () => {
    const { problems } = plan({ sweep: { 'model.depth': [], 'model.width': 8, seed: [0] }, seeds: [1] });
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['sweep["model.depth"]', 'sweep["model.width"]', 'seeds']),
    );
  });
});

describe('shards', () => {
  it('parses i/N and rejects the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '1', 'a/b', '-1/3', '0/0']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('partitions the runs exactly: no overlap, nothing missing, for several N', () => {
    const runs = plan({
      sweep: { 'model.block': ['plain', 'basic'], 'model.depth': [8, 14, 20, 26, 32, 44, 56] },
      seeds: [0, 1, 2],
    }).plan!.runs.map((r) => r.id);
    expect(runs).toHaveLength(42);
    for (const count of [1, 2, 3, 4, 5, 7, 42, 50]) {
      const shards = Array.from({ length: count }, (_, index) => takeShard(runs, { index, count }));
      const all = shards.flat();
      expect(all).toHaveLength(runs.length);
      expect(new Set(all)).toEqual(new Set(runs));
      // Balanced: shard sizes differ by at most one.
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('analyses', () => {
  it('the plan keeps the entries; the registry fills defaults and refuses the rest by JSON path', () => {
    expect(plan({ analyses: ['lesion', { name: 'lesion', draws: 2 }] }).plan!.analyses).toEqual([
      'lesion',
      { name: 'lesion', draws: 2 },
    ]);
    expect(plan({ analyses: [3] }).problems.map((p) => p.path)).toEqual(['analyses[0]']);
    const ok = resolveAnalyses(['lesion', { name: 'lesion', examples: 256, draws: 2 }]);
    expect(ok.problems).toEqual([]);
    expect(ok.analyses.map((a) => [a.def.name, a.settings])).toEqual([
      ['lesion', { examples: 2000, maxK: 10, draws: 5, seed: 0 }],
      ['lesion', { examples: 256, maxK: 10, draws: 2, seed: 0 }],
    ]);
    const bad = resolveAnalyses(['lesion', 'shatter-nonesuch', { name: 'lesion', draws: 0 }]);
    expect(bad.problems.map((p) => p.path)).toEqual(['analyses[1]', 'analyses[2].draws']);
    expect(bad.problems[0].message).toMatch(/unknown analysis "shatter-nonesuch" \(registered: lesion/);
  });
});
