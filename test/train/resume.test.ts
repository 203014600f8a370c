// Kill -9 a training process after its first checkpoint, run it again, and compare with a run
// that was never interrupted: same final weights, same metrics (timings aside).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../src/store/csv-log.js';
import { readManifest } from '../../src/store/run-dir.js';
import { loadCheckpoint } from '../../src/weights/checkpoint.js';
import { cliPath } from '../cli.js';
import { tempResults, tinyConfig } from './helpers.js';

function train(configFile: string, out: string, env: Record<string, string> = {}) {
  return spawnSync(
    process.execPath,
    [cliPath, 'train', '--config', configFile, '--out', out, '--id', 'r', '--backend', 'cpu'],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
}

test('a run killed with SIGKILL resumes from its checkpoint and ends exactly like an uninterrupted one', async () => {
  const dir = tempResults();
  const configFile = join(dir, 'run.json');
  // 64 examples / batch 16 = 4 steps an epoch: checkpoints at steps 4, 8, 12; killed at step 6
  writeFileSync(configFile, JSON.stringify(tinyConfig({ train: { steps: 12 }, probe: { every: 1 } })));
  const killed = train(configFile, join(dir, 'a'), { GRADFLOW_TEST_KILL_AT_STEP: '6' });
  expect(killed.signal).toBe('SIGKILL');
  expect(readManifest(join(dir, 'a', 'r'))!.status).toBe('running');
  const metricsAtKill = await readCsv<Record<string, string>>(join(dir, 'a', 'r', 'metrics.csv'));
  expect(metricsAtKill.some((r) => Number(r.step) > 4)).toBe(true); // rows past the checkpoint exist...

  const resumed = train(configFile, join(dir, 'a'));
  expect(resumed.status).toBe(0);
  expect(resumed.stderr).toMatch(/resuming at step 4/);
  const straight = train(configFile, join(dir, 'b'));
  expect(straight.status).toBe(0);

  const [ma, mb] = [readManifest(join(dir, 'a', 'r'))!, readManifest(join(dir, 'b', 'r'))!];
  expect(ma.status).toBe('completed');
  expect(ma.final).toEqual(mb.final);
  const [ca, cb] = [loadCheckpoint(join(dir, 'a', 'r'))!, loadCheckpoint(join(dir, 'b', 'r'))!];
  expect(ca.tensors.map((t) => t.name)).toEqual(cb.tensors.map((t) => t.name));
  ca.tensors.forEach((t, i) => {
    const other = cb.tensors[i].data;
    t.data.forEach((v, j) => expect(Math.abs(v - other[j])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v))));
  });
  // ...and were dropped on resume: the logs equal the uninterrupted run's, step times aside
  const strip = (rows: Record<string, string>[]) => rows.filter((r) => r.metric !== 'step_ms');
  const [la, lb] = [
    await readCsv<Record<string, string>>(join(dir, 'a', 'r', 'metrics.csv')),
    await readCsv<Record<string, string>>(join(dir, 'b', 'r', 'metrics.csv')),
  ];
  expect(strip(la)).toEqual(strip(lb));
  const [pa, pb] = [
    await readCsv(join(dir, 'a', 'r', 'layers.csv')),
    await readCsv(join(dir, 'b', 'r', 'layers.csv')),
  ];
  expect(pa).toEqual(pb);
});

test('a resume on another backend is refused (exit 2, naming both) unless allowed, and then recorded with its step', () => {
  const dir = tempResults();
  const configFile = join(dir, 'run.json');
  writeFileSync(configFile, JSON.stringify(tinyConfig({ train: { steps: 12 } })));
  const out = join(dir, 'a');
  expect(train(configFile, out, { GRADFLOW_TEST_KILL_AT_STEP: '6' }).signal).toBe('SIGKILL');
  const onWasm = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [cliPath, 'train', '--config', configFile, '--out', out, '--id', 'r', '--backend', 'wasm', ...extra],
      { encoding: 'utf8' },
    );
  const refused = onWasm();
  expect(refused.status).toBe(2);
  expect(refused.stderr).toMatch(
    /r: trained to step 4 on cpu [^;]+; would resume on wasm .*\(backend cpu → wasm/,
  );
  expect(refused.stderr).toContain('--allow-numerics-change');
  expect(readManifest(join(out, 'r'))!.numerics).toMatchObject({ backend: 'cpu', threads: 1 });

  const allowed = onWasm('--allow-numerics-change');
  expect(allowed.status).toBe(0);
  const manifest = readManifest(join(out, 'r'))!;
  expect(manifest.status).toBe('completed');
  expect(manifest.numerics?.backend).toBe('wasm');
  expect(manifest.numericsChanges).toEqual([
    {
      step: 4,
      from: expect.objectContaining({ backend: 'cpu' }),
      to: expect.objectContaining({ backend: 'wasm' }),
    },
  ]);
});
