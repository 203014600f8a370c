// Bad experiment files are refused by the real CLI before anything runs: exit code 2, every
// problem named by its JSON path, and no results directory created.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, runCli, removeTempDirs, tempDir } from './cli-helper.js';

afterAll(() => removeTempDirs());

const base = {
  data: { name: 'synthetic', size: 8, trainSize: 256 },
  model: { family: 'cifar', depth: 8, width: 4 },
  train: { steps: 5 },
};

const cases: { kind: string; experiment: Record<string, unknown>; expected: [string, RegExp][] }[] = [
  {
    kind: 'unknown key',
    experiment: { base: { ...base, model: { ...base.model, widht: 8 } }, sweeps: {} },
    expected: [
      ['base.model.widht', /unknown key/],
      ['sweeps', /unknown key/],
    ],
  },
  {
    kind: 'wrong type',
    experiment: { base: { ...base, train: { steps: 'five' } }, seeds: [0, -1] },
    expected: [
      ['base.train.steps', /expected number/],
      ['seeds[1]', />=0/],
    ],
  },
  {
    kind: 'unknown block',
    experiment: { base, sweep: { 'model.block': ['plain', 'resnext', 'basic'] } },
    expected: [['sweep["model.block"][1]', /unknown block "resnext"/]],
  },
  {
    kind: 'impossible depth',
    experiment: {
      base: { ...base, model: { ...base.model, depth: 10 } },
      sweep: { 'model.block': ['plain', 'basic'] },
    },
    expected: [['base.model.depth', /depth 10 is impossible.*6n\+2/]],
  },
  {
    kind: 'sweep path that does not exist',
    experiment: { base, sweep: { 'model.depht': [8, 14], 'train.optimiser': ['sgd'] } },
    expected: [
      ['sweep["model.depht"]', /not a run config path/],
      ['sweep["train.optimiser"]', /not a run config path/],
    ],
  },
  {
    kind: 'all of them at once',
    experiment: {
      nmae: 'x',
      base: { ...base, train: { steps: 0 } },
      sweep: { 'model.block': ['resnext'], 'model.depth': [8, 9], 'model.dpeth': [8] },
      include: [{ 'data.colour': 'red' }],
    },
    expected: [
      ['nmae', /unknown key/],
      ['base.train.steps', /expected number to be >0/],
      ['sweep["model.block"][0]', /unknown block/],
      ['sweep["model.dpeth"]', /not a run config path/],
      ['include[0]["data.colour"]', /not a run config path/],
    ],
  },
];

beforeAll(() => ensureBuilt(), 300_000);

describe('gradflow run on a bad experiment file', () => {
  it.each(cases)(
    '$kind: exit 2, every problem by its path, nothing written',
    async ({ kind, experiment, expected }) => {
      const dir = tempDir('bad');
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify(experiment));
      // Default --results (./results, relative to cwd), and for the last case an explicit one too.
      const runs = [runCli(['run', file, '--backend', 'cpu'], { cwd: dir })];
      if (kind === 'all of them at once') {
        runs.push(runCli(['run', file, '--results', join(dir, 'elsewhere'), '--workers', '2'], { cwd: dir }));
      }
      for (const result of await Promise.all(runs)) {
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/problems?; nothing was run/);
        for (const [path, message] of expected) {
          const line = result.stderr.split('\n').find((l) => l.trim().startsWith(`${path}:`));
          expect(line).toBeDefined();
          expect(line).toMatch(message);
        }
        // One line per problem: the count in the header matches the lines listed.
        const count = Number(/: (\d+) problems?;/.exec(result.stderr)![1]);
        expect(result.stderr.split('\n').filter((l) => /^ {2}\S.*: /.test(l))).toHaveLength(count);
        expect(count).toBeGreaterThanOrEqual(expected.length);
      }
      expect(existsSync(join(dir, 'results'))).toBe(false);
      expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
    },
  );

  it('refuses invalid JSON, a missing file and a bad --shard with exit 2', async () => {
    const dir = tempDir('bad');
    // A missing comma on line 3: the message names the place, whatever this Node's JSON.parse says.
    writeFileSync(join(dir, 'broken.json'), '{\n  "base": {},\n  "seeds": [0] "name": "x"\n}\n');
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ base }));
    const results = await Promise.all([
      runCli(['run', join(dir, 'broken.json')], { cwd: dir }),
      runCli(['run', join(dir, 'missing.json')], { cwd: dir }),
      runCli(['run', join(dir, 'ok.json'), '--shard', '4/4'], { cwd: dir }),
      runCli(['run', join(dir, 'ok.json'), '--only', '(unclosed'], { cwd: dir }),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(results[0].stderr).toContain('broken.json: not valid JSON: comma expected at line 3, column 16');
    expect(results[1].stderr).toMatch(/experiment file not found/);
    expect(results[2].stderr).toMatch(/--shard 4\/4: need 0 <= i < N/);
    expect(results[3].stderr).toMatch(/--only: not a regular expression/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it("accepts blocks registered by the experiment's plugins, and reports a missing plugin by its path", async () => {
    const dir = tempDir('plugin');
    writeFileSync(
      join(dir, 'my-block.mjs'),
      `export default function (gradflow) {
        gradflow.registerBlock({
          name: 'my-basic', description: 'a basic block from a plugin', reference: 'test', residual: true, layers: 2,
          build(x, ctx, a) {
            let y = ctx.act(ctx.norm('bn1', ctx.conv('conv1', x, { filters: a.filters, kernel: 3, stride: a.stride })));
            y = ctx.norm('bn2', ctx.conv('conv2', y, { filters: a.filters, kernel: 3 }));
            return ctx.act(ctx.add(y, ctx.shortcutA(x, a.filters, a.stride)));
          },
        });
      }\n`,
    );
    const sweep = { 'model.block': ['plain', 'my-basic'] };
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ base, sweep, plugins: ['my-block.mjs'] }));
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ base, sweep, plugins: ['my-block.mjs', 'missing.mjs'] }),
    );
    writeFileSync(join(dir, 'none.json'), JSON.stringify({ base, sweep }));
    const [good, bad, none] = await Promise.all(
      ['good', 'bad', 'none'].map((name) =>
        runCli(['run', join(dir, `${name}.json`), '--dry-run', '--json'], { cwd: dir }),
      ),
    );
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).map((r: { id: string }) => r.id)).toEqual([
      'cifar-plain-d8-s0',
      'cifar-my-basic-d8-s0',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ {2}plugins\[1\]: file not found: .*missing\.mjs$/m);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ {2}sweep\["model\.block"\]\[1\]: unknown block "my-basic"/m);
  });
});
