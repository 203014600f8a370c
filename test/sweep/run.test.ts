// `gradflow run` end to end with the real trainer on tiny configs: dry runs, parallel workers
// giving the same results as one, and a killed sweep picking up exactly what was missing.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunConfig } from '../../src/config/schema.js';
import type { Manifest } from '../../src/store/types.js';
import { writeIdxDir } from '../data/helpers.js';
import { cliPath, ensureBuilt, runCli, removeTempDirs, tempDir, writeTinyExperiment } from './cli-helper.js';

afterAll(() => removeTempDirs());

// wasm: the cpu backend takes ~20 s per tiny run on a loaded 2-core machine, wasm ~3 s.
// One thread per run everywhere, so that results cannot depend on the worker count.
const backend = process.env.GRADFLOW_SWEEP_TEST_BACKEND ?? 'wasm';
const runFlags = ['--backend', backend, '--threads', '1'];
const IDS = ['cifar-plain-d8-s0', 'cifar-plain-d8-s1', 'cifar-basic-d8-s0', 'cifar-basic-d8-s1'];

const readManifest = (dir: string, id: string): Manifest =>
  JSON.parse(readFileSync(join(dir, id, 'manifest.json'), 'utf8'));
/** summary.csv without wall_s (the one column that differs between two runs of the same sweep). */
const summaryWithoutWall = (dir: string): string[] =>
  readFileSync(join(dir, 'summary.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const cells = line.split(',');
      cells.splice(11, 1);
      return cells.join(',');
    });

beforeAll(() => ensureBuilt(), 300_000);

describe('gradflow run --dry-run', () => {
  it('lists [{id, config}] as JSON, takes shards and --only, and writes nothing', async () => {
    const dir = tempDir('dry');
    const file = writeTinyExperiment(dir, 'tiny');
    const [all, shard, only, dashed] = await Promise.all([
      runCli(['run', file, '--dry-run', '--json'], { cwd: dir }),
      runCli(['run', file, '--dry-run', '--json', '--shard', '1/3'], { cwd: dir }),
      runCli(['run', file, '--dry-run', '--only', 'basic-d8-s[01]$'], { cwd: dir }),
      // a pattern that starts with '-' is the option's value, not a cluster of short flags
      runCli(['run', file, '--dry-run', '--only', '-d8-s1$', '--json'], { cwd: dir }),
    ]);
    expect(all.code).toBe(0);
    const runs = JSON.parse(all.stdout) as { id: string; config: RunConfig }[];
    expect(runs.map((r) => r.id)).toEqual(IDS);
    expect(runs[2].config).toEqual(
      RunConfig.parse({
        data: { name: 'synthetic', size: 8, channels: 1, trainSize: 256, testSize: 64 },
        model: { family: 'cifar', depth: 8, width: 4, block: 'basic' },
        train: { steps: 5, batchSize: 32, lr: 0.05 },
        probe: { every: 5 },
        seed: 0,
      }),
    );
    expect(JSON.parse(shard.stdout).map((r: { id: string }) => r.id)).toEqual([IDS[1]]);
    expect(only.stdout).toMatch(/cifar-basic-d8-s0 +to run\ncifar-basic-d8-s1 +to run\n2 runs of 4 in tiny/);
    expect(dashed.code).toBe(0);
    expect(JSON.parse(dashed.stdout).map((r: { id: string }) => r.id)).toEqual(
      IDS.filter((id) => id.endsWith('-d8-s1')),
    );
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});

describe('gradflow run with the real trainer', () => {
  it('gives the same summary with --workers 2 as with --workers 1, running two at once', async () => {
    const dir = tempDir('workers');
    const file = writeTinyExperiment(dir, 'tiny');
    const t0 = Date.now();
    const one = await runCli(['run', file, '--workers', '1', '--results', join(dir, 'w1'), ...runFlags], {
      timeoutMs: 300_000,
    });
    const t1 = Date.now();
    const two = await runCli(['run', file, '--workers', '2', '--results', join(dir, 'w2'), ...runFlags], {
      timeoutMs: 300_000,
    });
    const t2 = Date.now();
    console.log(
      `tiny sweep of 4 runs (${backend}): --workers 1 ${((t1 - t0) / 1000).toFixed(1)} s, --workers 2 ${((t2 - t1) / 1000).toFixed(1)} s`,
    );
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    // A line per finished run.
    expect(one.stdout.match(/^done cifar-/gm)).toHaveLength(4);

    const w1 = join(dir, 'w1', 'tiny');
    const w2 = join(dir, 'w2', 'tiny');
    const summary = summaryWithoutWall(w1);
    expect(summary).toHaveLength(5);
    expect(summary.slice(1).every((row) => row.includes(',completed,'))).toBe(true);
    expect(summaryWithoutWall(w2)).toEqual(summary);
    expect(readFileSync(join(w2, 'summary-by-config.csv'), 'utf8')).toEqual(
      readFileSync(join(w1, 'summary-by-config.csv'), 'utf8'),
    );

    // Two workers really overlap: the second run starts before the first one is done (the run
    // processes, not the manifests' training spans: a tiny run trains for less than a worker's start-up).
    const events = two.stdout.split('\n').filter((line) => /^(start|done) /.test(line));
    expect(events.slice(0, 2).map((line) => line.split(' ')[0])).toEqual(['start', 'start']);
    expect(
      one.stdout
        .split('\n')
        .filter((line) => /^(start|done) /.test(line))
        .slice(0, 2)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['start', 'done']);
  }, 600_000);

  it('after the sweep is killed (parent and children), a re-run completes only what was missing', async () => {
    const dir = tempDir('interrupt');
    const file = writeTinyExperiment(dir, 'tiny');
    const results = join(dir, 'results');
    const experimentDir = join(results, 'tiny');

    // Own process group, so one kill reaches the sweep and its worker processes.
    const sweep = spawn(process.execPath, [cliPath(), 'run', file, '--results', results, ...runFlags], {
      detached: true,
      stdio: 'ignore',
    });
    const completed = () =>
      existsSync(experimentDir)
        ? readdirSync(experimentDir).filter(
            (id) =>
              existsSync(join(experimentDir, id, 'manifest.json')) &&
              readManifest(experimentDir, id).status === 'completed',
          )
        : [];
    const deadline = Date.now() + 240_000;
    while (completed().length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    process.kill(-sweep.pid!, 'SIGKILL');
    await new Promise((r) => sweep.once('exit', r));

    const done = completed();
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(4);
    const before = Object.fromEntries(
      done.map((id) => [id, readFileSync(join(experimentDir, id, 'manifest.json'), 'utf8')]),
    );

    const again = await runCli(['run', file, '--results', results, ...runFlags], { timeoutMs: 300_000 });
    expect(again.code).toBe(0);
    const missing = IDS.filter((id) => !done.includes(id));
    expect(again.stdout).toContain(`4 runs, ${done.length} already done, ${missing.length} to run`);
    const started = [...again.stdout.matchAll(/^start (\S+)/gm)].map((m) => m[1]);
    expect(started.sort()).toEqual([...missing].sort());
    // The finished runs were not touched; now every run is complete and summarised.
    for (const id of done)
      expect(readFileSync(join(experimentDir, id, 'manifest.json'), 'utf8')).toBe(before[id]);
    for (const id of IDS) expect(readManifest(experimentDir, id).status).toBe('completed');
    expect(summaryWithoutWall(experimentDir)).toHaveLength(5);

    // A third time there is nothing left to do.
    const third = await runCli(['run', file, '--results', results, ...runFlags]);
    expect(third.stdout).toContain('4 runs, 4 already done, 0 to run');
    expect(third.stdout).not.toMatch(/^start /m);
  }, 600_000);

  it('reports a failed run the moment it fails, finishes the others, exits 1, and retries it next time', async () => {
    const dir = tempDir('failure');
    // The mnist run fails in its worker (its image file is corrupt: the sweep can fingerprint the
    // bytes but not read them as images) and comes first; the synthetic one is fine.
    const file = writeTinyExperiment(dir, 'tiny', {
      sweep: { 'data.name': ['mnist', 'synthetic'] },
      seeds: [0],
    });
    const results = join(dir, 'results');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    const dataset = writeIdxDir(64, 16, 8, 8, false);
    writeFileSync(join(dataset, 'train-images-idx3-ubyte'), 'corrupt-dataset bytes');
    raw.base.data.path = dataset;
    writeFileSync(file, JSON.stringify(raw));

    // stdout and stderr into one file, to see the order things were reported in.
    const log = join(dir, 'log.txt');
    const fd = openSync(log, 'w');
    const sweep = spawn(process.execPath, [cliPath(), 'run', file, '--results', results, ...runFlags], {
      stdio: ['ignore', fd, fd],
    });
    const code = await new Promise((r) => sweep.once('exit', r));
    closeSync(fd);
    const output = readFileSync(log, 'utf8');
    expect(code).toBe(1);
    const failedAt = output.indexOf('FAILED cifar-basic-d8-s0-mnist');
    const nextStart = output.indexOf('start cifar-basic-d8-s0-synthetic');
    expect(failedAt).toBeGreaterThan(-1);
    expect(nextStart).toBeGreaterThan(failedAt); // reported before the next run began
    expect(output).toContain(join(dataset, 'train-images-idx3-ubyte')); // with the worker's own message
    expect(output).toMatch(/done cifar-basic-d8-s0-synthetic/);
    expect(output).toMatch(/1 of 2 runs failed: cifar-basic-d8-s0-mnist/);
    expect(readManifest(join(results, 'tiny'), 'cifar-basic-d8-s0-synthetic').status).toBe('completed');

    const again = await runCli(['run', file, '--results', results, ...runFlags]);
    expect(again.code).toBe(1);
    expect([...again.stdout.matchAll(/^start (\S+)/gm)].map((m) => m[1])).toEqual([
      'cifar-basic-d8-s0-mnist',
    ]);
  }, 300_000);
});
