// Ctrl-C in a sweep, as a terminal sends it (SIGINT to the whole process group): the running run
// checkpoints and is recorded as interrupted with its step, nothing else starts, the exit is 130.
// Progress lines (step of total, step time, ETA; the sweep's ETA) appear while it runs. Resuming it
// with another thread count is refused (exit 2) unless --allow-numerics-change, which records it.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../src/store/types.js';
import { cliPath, ensureBuilt, runCli, removeTempDirs, tempDir, writeTinyExperiment } from './cli-helper.js';

beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => removeTempDirs());

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

test('Ctrl-C: interrupted at a step and resumable, nothing else started; a resume under other threads is refused or recorded', async () => {
  const dir = tempDir('ctrl-c');
  const file = writeTinyExperiment(dir, 'long', {
    base: {
      data: { name: 'synthetic', size: 8, channels: 1, trainSize: 256, testSize: 64 },
      model: { family: 'cifar', depth: 8, width: 4 },
      train: { steps: 3000, batchSize: 32, lr: 0.05 },
      probe: { every: 1000 },
    },
  });
  const results = join(dir, 'results');
  const first = 'cifar-plain-d8-s0';
  const runDir = join(results, 'long', first);
  const flags = ['--results', results, '--backend', 'wasm', '--threads', '1'];

  const sweep = spawn(process.execPath, [cliPath(), 'run', file, ...flags, '--progress-every', '0.2'], {
    detached: true, // its own process group, which the SIGINT below reaches as a whole
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  sweep.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  sweep.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => sweep.once('exit', (code) => r(code)));
  const progress = new RegExp(`^progress ${first} (\\d+)/3000, \\d+ ms/step, ETA \\S+$`, 'm');
  const deadline = Date.now() + 120_000;
  while (!(progress.test(output) && /^sweep 0\/4 runs done, ETA \S+$/m.test(output)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  expect(output).toMatch(progress);
  process.kill(-sweep.pid!, 'SIGINT');
  expect(await exited).toBe(130);

  const manifest = manifestOf(runDir);
  expect(manifest.status).toBe('interrupted');
  const step = manifest.statusStep!;
  expect(step).toBeGreaterThan(0);
  expect(step).toBeLessThan(3000);
  expect(output).toContain(`interrupted ${first} at step ${step}, resumable`);
  expect(output).not.toMatch(/FAILED/);
  expect([...output.matchAll(/^start (\S+)/gm)].map((m) => m[1])).toEqual([first]);
  expect(existsSync(join(results, 'long', 'cifar-plain-d8-s1'))).toBe(false);
  expect(manifest.numerics).toMatchObject({ backend: 'wasm', threads: 1 });

  const refused = await runCli(['run', file, ...flags.slice(0, -1), '2', '--only', `${first}$`]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`${first}: trained to step ${step} on wasm`);
  expect(refused.stderr).toMatch(/threads 1 → 2/);
  expect(manifestOf(runDir).statusStep).toBe(step); // nothing was run

  const allowed = await runCli(
    ['run', file, ...flags.slice(0, -1), '2', '--only', `${first}$`, '--allow-numerics-change'],
    { timeoutMs: 300_000 },
  );
  expect(allowed.code).toBe(0);
  const resumed = manifestOf(runDir);
  expect(resumed.status).toBe('completed');
  expect(resumed.numerics).toMatchObject({ backend: 'wasm', threads: 2 });
  expect(resumed.numericsChanges).toEqual([
    { step, from: expect.objectContaining({ threads: 1 }), to: expect.objectContaining({ threads: 2 }) },
  ]);
}, 600_000);
