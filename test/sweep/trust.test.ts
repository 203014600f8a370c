// Results you can trust, with real processes: a run is its configuration (changed runs are
// refused before any work), one writer per run (two sweeps share the work instead of doubling
// it), writes that cannot lie (a full disk), Ctrl-C saves the work, and one bad file names
// itself instead of aborting the sweep.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../src/store/types.js';
import { verifyCheckpoint } from '../../src/weights/checkpoint.js';
import { writeIdxDir } from '../data/helpers.js';
import { cliPath, ensureBuilt, removeTempDirs, runCli, tempDir, writeTinyExperiment } from './cli-helper.js';

afterAll(() => removeTempDirs());
beforeAll(() => ensureBuilt(), 300_000);

const backend = process.env.GRADFLOW_SWEEP_TEST_BACKEND ?? 'wasm';
const flags = ['--backend', backend, '--threads', '1'];
const manifestOf = (runDir: string): Manifest =>
  JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
const trainFlags = (out: string, ...more: string[]): string[] => [
  'train',
  ...['--model', 'cifar', '--depth', '8', '--width', '4', '--block', 'basic', '--data', 'synthetic'],
  ...[
    '--size',
    '8',
    '--train-size',
    '256',
    '--test-size',
    '64',
    '--batch',
    '32',
    '--steps',
    '2',
    '--seed',
    '7',
  ],
  ...['--out', out, ...flags, ...more],
];
const RUN = 'cifar-basic-d8-s7';
/** Seconds-long runs with a 128-step epoch, so the only checkpoint before step 128 is an interrupt's. */
const slowExperiment = (dir: string, name: string): string =>
  writeTinyExperiment(dir, name, {
    base: {
      data: { name: 'synthetic', size: 8, channels: 1, trainSize: 4096, testSize: 64 },
      model: { family: 'cifar', depth: 8, width: 4 },
      train: { steps: 100_000, batchSize: 32, lr: 0.05, checkpointMinutes: 600 },
      probe: { enabled: false },
    },
    sweep: { 'model.block': ['plain', 'basic'] },
    seeds: [0],
  });
/** The tiny experiment with `steps` steps a run (8 steps an epoch: a checkpoint every 8). */
function tinyExperiment(dir: string, steps: number, extra: Record<string, unknown> = {}): string {
  const file = writeTinyExperiment(dir, 'tiny', extra);
  const experiment = JSON.parse(readFileSync(file, 'utf8'));
  experiment.base.train.steps = steps;
  writeFileSync(file, JSON.stringify(experiment));
  return file;
}
const until = async (what: () => boolean, ms = 120_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
};
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Worker pids of a sweep: its child processes. */
const childrenOf = (pid: number): number[] =>
  spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);

describe('a run is its configuration', () => {
  it('gradflow train refuses a run directory of another configuration, lists what changed, and retrains on request', async () => {
    const out = join(tempDir('stale-train'), 'results');
    expect((await runCli(trainFlags(out, '--lr', '0.1'))).code).toBe(0);
    const again = await runCli(trainFlags(out, '--lr', '0.05'));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${RUN}: changed: train.lr: 0.1 → 0.05`);
    expect(again.stderr).toMatch(/--retrain changed/);
    expect(manifestOf(join(out, RUN)).config.train.lr).toBe(0.1);
    // The same configuration is the same run: handed back, not retrained.
    const same = await runCli(trainFlags(out, '--lr', '0.1'));
    expect(same.code).toBe(0);
    const retrained = await runCli(trainFlags(out, '--lr', '0.05', '--retrain', 'changed'));
    expect(retrained.code).toBe(0);
    const m = manifestOf(join(out, RUN));
    expect(m.config.train.lr).toBe(0.05);
    expect(m.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(m.identity?.config).toMatchObject({ train: { lr: 0.05 } });
  }, 120_000);

  it('a changed dataset is a changed run, and corrupt files are then refused by name', async () => {
    const data = writeIdxDir(64, 16, 8, 8, false);
    const out = join(tempDir('stale-data'), 'results');
    const base = [
      'train',
      ...['--model', 'cifar', '--depth', '8', '--width', '4', '--block', 'basic', '--data', `mnist:${data}`],
      ...['--batch', '16', '--steps', '2', '--seed', '7', '--out', out, ...flags],
    ];
    expect((await runCli(base)).code).toBe(0);
    const images = join(data, 't10k-images-idx3-ubyte');
    writeFileSync(images, readFileSync(images).subarray(0, 100)); // cut short
    const changed = await runCli(base);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/changed: data\[2\]\.sha256: [0-9a-f]{12}… → [0-9a-f]{12}…/);
    const retrained = await runCli([...base, '--retrain', 'changed']);
    expect(retrained.code).toBe(2);
    expect(retrained.stderr).toContain(images);
  }, 120_000);

  it('gradflow run stops before any work when the experiment changed, and --dry-run says which runs', async () => {
    const dir = tempDir('stale-run');
    const file = writeTinyExperiment(dir, 'tiny');
    const results = join(dir, 'results');
    expect((await runCli(['run', file, '--results', results, ...flags], { timeoutMs: 300_000 })).code).toBe(
      0,
    );
    const summary = readFileSync(join(results, 'tiny', 'summary.csv'), 'utf8');
    const experiment = JSON.parse(readFileSync(file, 'utf8'));
    experiment.base.train.lr = 0.02;
    writeFileSync(file, JSON.stringify(experiment));
    const dry = await runCli(['run', file, '--results', results, '--dry-run']);
    expect(dry.stdout).toMatch(/cifar-plain-d8-s0 +changed: train\.lr: 0\.05 → 0\.02/);
    expect(dry.stdout).toContain('(4 changed)');
    const again = await runCli(['run', file, '--results', results, ...flags]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('4 runs on disk belong to another configuration; nothing was run');
    expect(again.stdout).not.toMatch(/^start /m);
    expect(readFileSync(join(results, 'tiny', 'summary.csv'), 'utf8')).toBe(summary);

    // Results written before fingerprints existed are unknown, never trusted.
    const m = manifestOf(join(results, 'tiny', 'cifar-plain-d8-s0'));
    delete m.fingerprint;
    delete m.identity;
    writeFileSync(join(results, 'tiny', 'cifar-plain-d8-s0', 'manifest.json'), JSON.stringify(m));
    experiment.base.train.lr = 0.05;
    writeFileSync(file, JSON.stringify(experiment));
    const unknown = await runCli(['run', file, '--results', results, '--dry-run']);
    expect(unknown.stdout).toMatch(/cifar-plain-d8-s0 +unknown: written before runs had fingerprints\n/);
    expect(unknown.stdout).toMatch(/cifar-basic-d8-s0 +completed/);
    const refused = await runCli(['run', file, '--results', results, ...flags]);
    expect(refused.code).toBe(2);
    const retrained = await runCli(['run', file, '--results', results, '--retrain', 'changed', ...flags]);
    expect(retrained.code).toBe(0);
    expect([...retrained.stdout.matchAll(/^start (\S+)/gm)].map((x) => x[1])).toEqual(['cifar-plain-d8-s0']);
  }, 300_000);

  it('a killed run is never resumed under a changed configuration; --dry-run gives its checkpoint step', async () => {
    const dir = tempDir('stale-resume');
    const file = tinyExperiment(dir, 20, { sweep: {}, seeds: [0] }); // 8 steps an epoch: a checkpoint at step 8 and 16
    const results = join(dir, 'results');
    const killed = await runCli(['run', file, '--results', results, ...flags], {
      env: { GRADFLOW_TEST_KILL_AT_STEP: '18' },
    });
    expect(killed.code).not.toBe(0);
    const dry = await runCli(['run', file, '--results', results, '--dry-run']);
    expect(dry.stdout).toMatch(/cifar-basic-d8-s0 +resume at step 16/);
    const experiment = JSON.parse(readFileSync(file, 'utf8'));
    experiment.base.train.lr = 0.01;
    writeFileSync(file, JSON.stringify(experiment));
    const changed = await runCli(['run', file, '--results', results, ...flags]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('cifar-basic-d8-s0: changed: train.lr: 0.05 → 0.01');
    expect(verifyCheckpoint<{ step: number }>(join(results, 'tiny', 'cifar-basic-d8-s0'))?.step).toBe(16);
  }, 120_000);
});

describe('one writer per run', () => {
  it('two sweeps of one experiment share the runs: each trains once, no doubled rows', async () => {
    const dir = tempDir('concurrent');
    const file = tinyExperiment(dir, 300);
    const results = join(dir, 'results');
    const first = runCli(['run', file, '--results', results, ...flags], { timeoutMs: 300_000 });
    await until(() => existsSync(join(results, 'tiny', 'cifar-plain-d8-s0', '.lock')));
    const second = runCli(['run', file, '--results', results, ...flags], { timeoutMs: 300_000 });
    const [a, b] = await Promise.all([first, second]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const trained = [...`${a.stdout}${b.stdout}`.matchAll(/^done (\S+)/gm)].map((m) => m[1]).sort();
    expect(trained).toEqual([
      'cifar-basic-d8-s0',
      'cifar-basic-d8-s1',
      'cifar-plain-d8-s0',
      'cifar-plain-d8-s1',
    ]);
    expect(`${a.stdout}${b.stdout}`).toMatch(/^left cifar-\S+ to pid \d+ on \S+ since/m);
    for (const id of trained) {
      const rows = readFileSync(join(results, 'tiny', id, 'metrics.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      expect(rows.filter((r) => r.includes(',train_eval,'))).toHaveLength(2); // loss and error, once
      const trainSteps = rows.filter((r) => r.includes(',train,error,')).map((r) => Number(r.split(',')[0]));
      expect(trainSteps).toEqual([...trainSteps].sort((x, y) => x - y));
      expect(new Set(trainSteps).size).toBe(trainSteps.length);
      expect(existsSync(join(results, 'tiny', id, '.lock'))).toBe(false);
    }
  }, 300_000);

  it('gradflow train on a run another live process holds exits 2 naming the holder', async () => {
    const out = join(tempDir('held'), 'results');
    mkdirSync(join(out, RUN), { recursive: true });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    writeFileSync(
      join(out, RUN, '.lock'),
      JSON.stringify({
        pid: holder.pid,
        host: (await import('node:os')).hostname(),
        token: 't',
        since: 'now',
      }),
    );
    const r = await runCli(trainFlags(out));
    holder.kill();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`is being trained by pid ${holder.pid} on`);
    expect(existsSync(join(out, RUN, 'manifest.json'))).toBe(false);
  }, 60_000);
});

describe('writes that cannot lie', () => {
  const root = process.getuid?.() === 0;
  (root ? it : it.skip)(
    'a full disk fails the run naming the file, leaves no temp files, and the run resumes once there is room',
    async () => {
      const mnt = tempDir('tmpfs');
      const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
      if (mount.status !== 0) throw new Error(`mount tmpfs failed (root is needed): ${mount.stderr}`);
      try {
        const out = join(mnt, 'results');
        // width 16: a checkpoint of ~0.5 MB, so the second one does not fit beside the first.
        const args = trainFlags(out).map((a, i, all) =>
          all[i - 1] === '--width' ? '16' : all[i - 1] === '--steps' ? '16' : a,
        );
        const full = await runCli(args);
        expect(full.code).not.toBe(0);
        expect(full.stderr).toMatch(/cannot write \S+: no space left on device \(ENOSPC\)/);
        const runDir = join(out, RUN);
        expect(manifestOf(runDir).status).not.toBe('completed');
        const temps = (d: string): string[] =>
          existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.tmp')) : [];
        expect([...temps(runDir), ...temps(join(runDir, 'checkpoint'))]).toEqual([]);
        const ckpt = join(runDir, 'checkpoint', 'ckpt.bin');
        if (existsSync(ckpt)) expect(verifyCheckpoint(runDir)).not.toBeNull(); // whole, or absent
        expect(spawnSync('mount', ['-o', 'remount,size=16m', mnt]).status).toBe(0);
        const resumed = await runCli(args);
        expect(resumed.code).toBe(0);
        expect(manifestOf(runDir).status).toBe('completed');
        const stats = statSync(ckpt);
        expect(stats.size).toBeGreaterThan(262_144);
        verifyCheckpoint(runDir);
      } finally {
        spawnSync('umount', ['-l', mnt]);
      }
    },
    120_000,
  );
});

/** A two-worker sweep of long runs, once both workers are some steps in. */
async function startSlowSweep(
  name: string,
): Promise<{ sweep: ChildProcess; runs: string[]; workers: number[] }> {
  const dir = tempDir(name);
  const file = slowExperiment(dir, 'slow');
  const results = join(dir, 'results');
  const sweep = spawn(
    process.execPath,
    [cliPath(), 'run', file, '--results', results, '--workers', '2', ...flags],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const runs = ['cifar-plain-d8-s0', 'cifar-basic-d8-s0'].map((id) => join(results, 'slow', id));
  await until(() => runs.every((r) => existsSync(join(r, 'manifest.json'))));
  await new Promise((r) => setTimeout(r, 3000)); // some steps past the start
  const workers = childrenOf(sweep.pid!);
  expect(workers).toHaveLength(2);
  return { sweep, runs, workers };
}

describe('Ctrl-C saves the work', () => {
  it('SIGINT to gradflow run: every worker writes its interrupt checkpoint and the sweep waits for them', async () => {
    const { sweep, runs, workers } = await startSlowSweep('sigint');
    let stderr = '';
    sweep.stderr!.on('data', (d) => (stderr += d));
    sweep.kill('SIGINT');
    const code = await new Promise<number | null>((r) => sweep.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/waiting for 2 run\(s\) to save their checkpoints/);
    for (const run of runs) {
      const step = verifyCheckpoint<{ step: number }>(run)?.step ?? 0;
      expect(step).toBeGreaterThan(0);
      expect(manifestOf(run).statusReason).toBe(`interrupted at step ${step}; run again to resume`);
    }
    expect(workers.filter(alive)).toEqual([]);
  }, 180_000);

  it('a sweep killed outright: its workers see the closed pipes, checkpoint and end (no EPIPE, no orphans)', async () => {
    const { sweep, runs, workers } = await startSlowSweep('sigkill');
    sweep.kill('SIGKILL');
    await until(() => workers.every((pid) => !alive(pid)), 60_000);
    for (const run of runs) {
      expect(verifyCheckpoint<{ step: number }>(run)?.step ?? 0).toBeGreaterThan(0);
      expect(manifestOf(run).statusReason).toMatch(/^interrupted at step \d+/);
      expect(existsSync(join(run, '.lock'))).toBe(false);
    }
  }, 180_000);
});

describe('one bad file does not abort a sweep', () => {
  it('a damaged manifest or checkpoint is named, the other runs go on, and --retrain damaged retrains it', async () => {
    const dir = tempDir('damaged');
    const file = tinyExperiment(dir, 20); // a checkpoint at the end of each 8-step epoch
    const results = join(dir, 'results');
    const exp = join(results, 'tiny');
    expect((await runCli(['run', file, '--results', results, '--only', 's0$', ...flags])).code).toBe(0);
    writeFileSync(join(exp, 'cifar-plain-d8-s0', 'manifest.json'), '{"id": "cifar-pl');
    // An interrupted run with a checkpoint cut in half.
    const killed = await runCli(['run', file, '--results', results, '--only', 'basic-d8-s1', ...flags], {
      env: { GRADFLOW_TEST_KILL_AT_STEP: '12' },
    });
    expect(killed.code).not.toBe(0);
    const half = join(exp, 'cifar-basic-d8-s1', 'checkpoint', 'ckpt.bin');
    writeFileSync(half, 'GFCKPT02'); // a checkpoint that never finished
    const dry = await runCli(['run', file, '--results', results, '--dry-run']);
    expect(dry.stdout).toMatch(/cifar-plain-d8-s0 +damaged: \S+manifest\.json: \S+: unreadable manifest/);
    expect(dry.stdout).toMatch(
      /cifar-basic-d8-s1 +damaged: \S+ckpt\.bin: not a gradflow checkpoint \(only 8 bytes\)/,
    );

    const sweep = await runCli(['run', file, '--results', results, ...flags], { timeoutMs: 300_000 });
    expect(sweep.code).toBe(2);
    expect(sweep.stdout).toMatch(/^done cifar-plain-d8-s1/m); // the healthy run still trained
    expect(sweep.stderr).toMatch(/not run cifar-plain-d8-s0: \S+manifest\.json/);
    expect(sweep.stderr).toContain('--retrain damaged trains them again from scratch');

    const fixed = await runCli(['run', file, '--results', results, '--retrain', 'damaged', ...flags], {
      timeoutMs: 300_000,
    });
    expect(fixed.code).toBe(0);
    expect([...fixed.stdout.matchAll(/^done (\S+)/gm)].map((m) => m[1]).sort()).toEqual([
      'cifar-basic-d8-s1',
      'cifar-plain-d8-s0',
    ]);
    expect(readFileSync(join(exp, 'summary.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
  }, 300_000);

  it('paths that cannot hold what they should: one sentence naming the path, exit 2', async () => {
    const dir = tempDir('paths');
    const file = writeTinyExperiment(dir, 'tiny');
    const results = join(dir, 'results');
    mkdirSync(join(results, 'tiny'), { recursive: true });
    writeFileSync(join(results, 'tiny', 'cifar-plain-d8-s0'), 'a file');
    const blocked = await runCli(['run', file, '--results', results, ...flags]);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain(
      `${join(results, 'tiny', 'cifar-plain-d8-s0')}: a file is where the run directory goes`,
    );

    const isDir = await runCli(['run', dir]);
    expect(isDir.code).toBe(2);
    expect(isDir.stderr).toContain(`${dir}: is a directory`);

    const deep = join(dir, 'deep.json');
    writeFileSync(deep, '{"base":' + '{"a":'.repeat(2000) + '1' + '}'.repeat(2000) + '}');
    const nested = await runCli(['run', deep]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain(`${deep}: nested more than 64 levels deep`);

    const dots = join(dir, '...json');
    writeFileSync(dots, readFileSync(file));
    const named = JSON.parse(readFileSync(file, 'utf8'));
    delete named.name;
    writeFileSync(dots, JSON.stringify(named));
    const escaped = await runCli(['run', dots, '--results', join(dir, 'r2'), ...flags]);
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).toContain('its file name gives "..", which cannot name a results directory');
    expect(existsSync(join(dir, 'r2'))).toBe(false);
  }, 120_000);

  it('an unknown backend is refused once, before anything runs or is written', async () => {
    const dir = tempDir('backend');
    const file = writeTinyExperiment(dir, 'tiny');
    const results = join(dir, 'results');
    const flag = await runCli(['run', file, '--results', results, '--backend', 'nonesuch']);
    const env = await runCli(['demo', '--results', results, '--out', join(dir, 'q.html')], {
      env: { GRADFLOW_BACKEND: 'nonesuch' },
    });
    for (const r of [flag, env]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown backend 'nonesuch'/);
      expect(r.stdout).not.toMatch(/^start /m);
    }
    expect(existsSync(results)).toBe(false);
  }, 60_000);

  it('workers get their spec on the command line: a killed sweep leaves no temp files', async () => {
    const dir = tempDir('spec-temp');
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const file = writeTinyExperiment(dir, 'tiny', { sweep: {}, seeds: [0] });
    const r = await runCli(['run', file, '--results', join(dir, 'results'), ...flags], {
      env: { TMPDIR: tmp },
    });
    expect(r.code).toBe(0);
    expect(readdirSync(tmp).filter((f) => f.startsWith('gradflow-spec-'))).toEqual([]);
  }, 60_000);

  it('a plugin that never finishes loading is named, exit 2', async () => {
    const dir = tempDir('plugin-hang');
    const plugin = join(dir, 'hang.mjs');
    writeFileSync(plugin, 'await new Promise(() => {});\nexport default function () {}\n');
    const r = await runCli(['blocks', '--plugin', plugin]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gradflow: loading plugin ${plugin}`);
    expect(r.stderr).toContain(`plugin ${plugin} never finished loading`);
  }, 60_000);
});
