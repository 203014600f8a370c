// The webgpu backend where Dawn finds an adapter (in CI: Mesa's lavapipe, a CPU Vulkan driver): gradflow's
// kernels and composite ops equal the cpu backend's, and a short training run's step-0 gradient norms and
// losses equal the native backend's to float32 noise; a sweep, its analyses (lesion, shatter, landscape)
// and its report run on it and give native's numbers; a training loop keeps tf.memory() flat on it.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerWebgpuBackend } from '../../src/engine/backends/webgpu/register.js';
import { initEngine } from '../../src/engine/index.js';
import { movingAveragesStep, movingAveragesUpdate } from '../../src/engine/moving_averages.js';
import { batchNorm, padChannels, subsample2 } from '../../src/engine/ops.js';
import { sgdMomentumStep, sgdMomentumUpdate } from '../../src/engine/sgd_momentum.js';
import { runTraining } from '../../src/train/run.js';
import { loadCheckpoint } from '../../src/weights/checkpoint.js';
import { body, writeExperiment } from '../sweep/transfer-experiment.js';
import { tinyConfig } from '../train/helpers.js';
import { cliPath } from '../cli.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = await registerWebgpuBackend();
const onWebgpu = load.ok ? describe : describe.skip;
if (!load.ok) console.warn(`webgpu tests skipped: ${load.reason}`);

const values = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 1.7);

/** The CLI in a child process, backend selection left to each command's own --backend. */
function gradflowCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawnSync(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, GRADFLOW_BACKEND: '', ...options.env },
  });
}

/** Largest |a - b| / max(1, |b|): absolute for small values, relative for large ones. */
function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

/** `f`'s outputs on the cpu backend and on webgpu, read back. */
async function onBoth(f: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; webgpu: Float32Array[] }> {
  const out: Record<string, Float32Array[]> = {};
  for (const backend of ['cpu', 'webgpu']) {
    await tf.setBackend(backend);
    const ts = f();
    out[backend] = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(ts);
  }
  return { cpu: out.cpu, webgpu: out.webgpu };
}

onWebgpu('webgpu kernels', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'webgpu', quiet: true });
  });

  test('GradflowSgdMomentum equals the update over arrays', async () => {
    const n = 1000;
    const [w, v, g] = [values(n, 1), values(n, 2), values(n, 3)];
    const attrs = { lr: 0.1, momentum: 0.9, weightDecay: 1e-4 };
    const [wRef, vRef] = [new Float32Array(n), new Float32Array(n)];
    sgdMomentumUpdate(w, v, g, wRef, vRef, attrs);
    await tf.setBackend('webgpu');
    const [wOut, vOut] = sgdMomentumStep(tf.tensor(w), tf.tensor(v), tf.tensor(g), attrs);
    expect(maxError(await wOut.data(), wRef)).toBeLessThan(1e-6);
    expect(maxError(await vOut.data(), vRef)).toBeLessThan(1e-6);
    // Not the inputs returned: the update moved every weight.
    expect(maxError(await wOut.data(), w)).toBeGreaterThan(1e-3);
  });

  test('GradflowMovingAverages equals the update over arrays', async () => {
    const n = 64;
    const [m, v, bm, bv] = [
      values(n, 4),
      values(n, 5).map(Math.abs),
      values(n, 6),
      values(n, 7).map(Math.abs),
    ];
    const attrs = { momentum: 0.9, unbias: 128 / 127 };
    const [mRef, vRef] = [new Float32Array(n), new Float32Array(n)];
    movingAveragesUpdate(m, v, bm, bv, mRef, vRef, attrs);
    await tf.setBackend('webgpu');
    const [mOut, vOut] = movingAveragesStep(tf.tensor(m), tf.tensor(v), tf.tensor(bm), tf.tensor(bv), attrs);
    expect(maxError(await mOut.data(), mRef)).toBeLessThan(1e-6);
    expect(maxError(await vOut.data(), vRef)).toBeLessThan(1e-6);
  });

  test("training batch norm and its gradient equal cpu's", async () => {
    const shape: [number, number, number, number] = [4, 6, 6, 5];
    const x0 = values(4 * 6 * 6 * 5, 8);
    const dy0 = values(x0.length, 9);
    const { cpu, webgpu } = await onBoth(() => {
      const [x, gamma, beta, dy] = [
        tf.tensor4d(x0, shape),
        tf.tensor1d(values(5, 10)),
        tf.tensor1d(values(5, 11)),
        tf.tensor4d(dy0, shape),
      ];
      const r = batchNorm(x, gamma, beta, 1e-5);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(batchNorm(a as tf.Tensor4D, b as tf.Tensor1D, c as tf.Tensor1D, 1e-5).y, dy)),
      )([x, gamma, beta]);
      return [r.y, r.mean, r.variance, ...grads];
    });
    expect(cpu).toHaveLength(6);
    cpu.forEach((c, i) => expect(maxError(webgpu[i], c)).toBeLessThan(2e-5));
  });

  test("option A's subsampling and channel padding, with gradients, equal cpu's", async () => {
    const shape: [number, number, number, number] = [2, 8, 8, 3];
    const x0 = values(2 * 8 * 8 * 3, 12);
    const { cpu, webgpu } = await onBoth(() => {
      const x = tf.tensor4d(x0, shape);
      const f = (a: tf.Tensor) => padChannels(subsample2(a as tf.Tensor4D), 2, 1);
      const y = f(x);
      const weights = tf.tensor4d(values(y.size, 13), y.shape as [number, number, number, number]);
      const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(f(a), weights)))([x]);
      return [y, dx];
    });
    expect(cpu[0].length).toBe(2 * 4 * 4 * 6);
    cpu.forEach((c, i) => expect(maxError(webgpu[i], c)).toBeLessThan(1e-6));
  });

  test('tf.memory().numTensors stays flat over a training run with probes on every step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradflow-webgpu-flat-'));
    try {
      const counts: number[] = [];
      const manifest = await runTraining(
        { id: 'flat', experiment: 'unit', config: tinyConfig({ train: { steps: 12 }, probe: { every: 1 } }) },
        {
          resultsDir: dir,
          backend: 'webgpu',
          quiet: true,
          onProgress: () => counts.push(tf.memory().numTensors),
        },
      );
      expect(manifest.backend.name).toBe('webgpu');
      expect(counts.length).toBe(12);
      // after the first steps have created the optimiser slots, nothing accumulates
      expect(new Set(counts.slice(2))).toEqual(new Set([counts[2]]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

onWebgpu('a training run on webgpu', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradflow-webgpu-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const train = (backend: string) => {
    const r = gradflowCli([
      'train',
      '--backend',
      backend,
      '--model',
      'cifar',
      '--depth',
      '8',
      '--width',
      '4',
      '--data',
      'synthetic',
      '--size',
      '8',
      '--train-size',
      '256',
      '--test-size',
      '64',
      '--steps',
      '4',
      '--batch',
      '32',
      '--probe-every',
      '2',
      '--out',
      join(dir, backend),
    ]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const run = join(dir, backend, 'cifar-basic-d8-s0');
    const layers = readFileSync(join(run, 'layers.csv'), 'utf8').trim().split('\n').slice(1);
    const norms = new Map<string, number>();
    for (const line of layers) {
      const [step, layer, , , stat, value] = line.split(',');
      if (stat === 'grad_norm') norms.set(`${step}/${layer}`, Number(value));
    }
    const metrics = readFileSync(join(run, 'metrics.csv'), 'utf8');
    const losses = [...metrics.matchAll(/^(\d+),[^,]*,train,loss,([^,\n]+)$/gm)].map((m) => Number(m[2]));
    const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'));
    return { norms, losses, manifest };
  };

  test("its gradient norms and losses equal native's; the manifest names the adapter", () => {
    const gpu = train('webgpu');
    const reference = train('native');
    expect(gpu.manifest.status).toBe('completed');
    expect(gpu.manifest.backend.name).toBe('webgpu');
    expect(gpu.manifest.backend.device).toEqual(expect.any(String));
    expect(gpu.manifest.numerics.device).toBe(gpu.manifest.backend.device);
    const stepZero = [...gpu.norms.keys()].filter((k) => k.startsWith('0/'));
    expect(stepZero.length).toBe(8); // every weighted layer of the depth-8 net
    for (const [key, value] of gpu.norms) {
      expect(value).toBeGreaterThan(0);
      expect(Math.abs(value - reference.norms.get(key)!) / reference.norms.get(key)!).toBeLessThan(1e-5);
    }
    expect(gpu.losses.length).toBeGreaterThan(0);
    expect(maxError(gpu.losses, reference.losses)).toBeLessThan(1e-5);
  }, 240_000);
});

onWebgpu('a sweep, its analyses and its report on webgpu', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gradflow-webgpu-sweep-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const gradflow = (...args: string[]) => {
    const r = gradflowCli(args, { cwd: root });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const column = (file: string, name: string): number[] => {
    const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
    const at = header.split(',').indexOf(name);
    expect(at).toBeGreaterThanOrEqual(0);
    return lines.map((line) => Number(line.split(',')[at]));
  };

  test("plain and residual nets train on it; lesion, shatter and landscape give native's numbers on the same weights; the report names webgpu", () => {
    const experiment = {
      name: 'wg',
      description: 'a plain and a residual net of depth 8, a few steps each, on webgpu',
      base: {
        data: { name: 'synthetic', size: 8, channels: 1, trainSize: 256, testSize: 64 },
        model: { family: 'cifar', width: 4, norm: 'batch', init: 'he', depth: 8 },
        train: { optimizer: 'sgd', lr: 0.05, momentum: 0.9, batchSize: 32, steps: 6 },
        probe: { every: 3 },
      },
      sweep: { 'model.block': ['plain', 'basic'] },
    };
    writeFileSync(join(root, 'wg.json'), JSON.stringify(experiment));
    expect(gradflow('run', 'wg.json', '--backend', 'webgpu')).toMatch(/done cifar-basic-d8-s0/);
    const onGpu = join(root, 'results', 'wg');
    const onCpu = join(root, 'native', 'wg');
    cpSync(onGpu, onCpu, { recursive: true });
    for (const [dir, backend] of [
      [onGpu, 'webgpu'],
      [onCpu, 'native'],
    ]) {
      gradflow('lesion', dir, '--backend', backend, '--examples', '64', '--max-k', '2', '--draws', '2');
      gradflow('shatter', dir, '--backend', backend, '--points', '16', '--max-lag', '4');
      gradflow('landscape', dir, '--backend', backend, '--points', '5', '--grid', '0', '--examples', '64');
    }
    for (const run of ['cifar-plain-d8-s0', 'cifar-basic-d8-s0']) {
      const manifest = JSON.parse(readFileSync(join(onGpu, run, 'manifest.json'), 'utf8'));
      expect(manifest.status).toBe('completed');
      expect(manifest.backend.name).toBe('webgpu');
      const [gpu, cpu] = [join(onGpu, run), join(onCpu, run)];
      const shatter = column(join(gpu, 'shatter.csv'), 'value');
      expect(shatter.length).toBeGreaterThan(16);
      expect(maxError(shatter, column(join(cpu, 'shatter.csv'), 'value'))).toBeLessThan(1e-4);
      const landscape = column(join(gpu, 'landscape.csv'), 'loss');
      expect(landscape).toHaveLength(5);
      expect(maxError(landscape, column(join(cpu, 'landscape.csv'), 'loss'))).toBeLessThan(1e-4);
      // Errors over 64 examples: a float32 difference flips at most a near-tied prediction. A block that
      // cannot be removed has NaN on both.
      const scored = (dir: string) =>
        column(join(dir, 'lesion.csv'), 'error').map((e) => (Number.isNaN(e) ? -1 : e));
      const lesion = scored(gpu);
      expect(lesion.filter((e) => e >= 0).length).toBeGreaterThan(2);
      expect(maxError(lesion, scored(cpu))).toBeLessThanOrEqual(1 / 64 + 1e-9);
    }
    gradflow('report', onGpu, '--out', join(root, 'wg.html'));
    const html = readFileSync(join(root, 'wg.html'), 'utf8');
    expect(existsSync(join(root, 'wg.html'))).toBe(true);
    const { backend } = JSON.parse(readFileSync(join(onGpu, 'cifar-basic-d8-s0', 'manifest.json'), 'utf8'));
    expect(html).toContain(`webgpu ${backend.version} on ${backend.device}`);
    expect(html).toMatch(/cifar-plain-d8-s0/);
  }, 300_000);
});

onWebgpu('scripts/gpu-check on this adapter', () => {
  test('every step of the GPU check runs small here and records its exit status; equality holds', () => {
    const out = mkdtempSync(join(tmpdir(), 'gradflow-gpu-check-'));
    try {
      const r = spawnSync('bash', [join(repoRoot, 'scripts', 'gpu-check'), 'checks', out], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
          GPU_CHECK_APP: repoRoot,
          GPU_CHECK_SMALL: '1',
          GRADFLOW_BACKEND: '',
        },
      });
      expect(r.status).toBe(0);
      const summary = readFileSync(join(out, 'summary.txt'), 'utf8');
      for (const step of ['backends', 'equality', 'bench', 'profile', 'sweep'])
        expect(summary).toMatch(new RegExp(`^${step}: exit 0 after \\d+ s$`, 'm'));
      const equality = readFileSync(join(out, 'equality.txt'), 'utf8');
      const worst = Number(
        /step-0 gradient norms of 20 layers: largest relative difference webgpu vs native (\S+)/.exec(
          equality,
        )![1],
      );
      expect(worst).toBeLessThan(1e-4);
      const bench = readFileSync(join(out, 'bench.txt'), 'utf8');
      expect(bench.match(/"step_ms_median": [\d.]+/g)).toHaveLength(4); // ResNet-20 and -56, webgpu and native
      expect(readFileSync(join(out, 'profile.txt'), 'utf8')).toMatch(/profile of one step/);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});

onWebgpu('checkpoints, resume and transfer on webgpu', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gradflow-webgpu-resume-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const gradflow = (args: string[], env: Record<string, string> = {}) =>
    gradflowCli(args, { cwd: root, env });

  test('a run killed with SIGKILL resumes from its checkpoint on webgpu and ends like an uninterrupted one', () => {
    const config = join(root, 'run.json');
    // 64 examples / batch 16 = 4 steps an epoch: checkpoints at steps 4 and 8; killed at step 6
    writeFileSync(config, JSON.stringify(tinyConfig({ train: { steps: 8 }, probe: { every: 2 } })));
    const train = (out: string, env: Record<string, string> = {}) =>
      gradflow(
        ['train', '--config', config, '--out', join(root, out), '--id', 'r', '--backend', 'webgpu'],
        env,
      );
    expect(train('a', { GRADFLOW_TEST_KILL_AT_STEP: '6' }).signal).toBe('SIGKILL');
    const resumed = train('a');
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/resuming at step 4/);
    expect(train('b').status).toBe(0);
    const [a, b] = ['a', 'b'].map((out) => loadCheckpoint(join(root, out, 'r'))!);
    expect(a.tensors.map((t) => t.name)).toEqual(b.tensors.map((t) => t.name));
    a.tensors.forEach((t, i) => expect(maxError(t.data, b.tensors[i].data)).toBeLessThan(1e-5));
    const finals = ['a', 'b'].map((out) =>
      JSON.parse(readFileSync(join(root, out, 'r', 'manifest.json'), 'utf8')),
    );
    expect(finals[0].status).toBe('completed');
    expect(finals[0].final.trainError).toBeCloseTo(finals[1].final.trainError, 6);
  }, 240_000);

  test('a transfer experiment trains its source, then a linear probe that keeps the body bit for bit and a fine-tuning that moves it', () => {
    const r = gradflow(['run', writeExperiment(root, {}), '--backend', 'webgpu']);
    expect(r.status).toBe(0);
    const exp = join(root, 'results', 'tl');
    const source = body(join(exp, 'cifar-basic-d8-s0-pretrain'));
    expect(source.size).toBeGreaterThan(10);
    for (const mode of ['linear', 'finetune']) {
      const run = join(exp, `cifar-basic-d8-s0-${mode}`);
      const moved = [...body(run)].filter(([name, bytes]) => !bytes.equals(source.get(name)!)).length;
      expect({ mode, moved }).toEqual({ mode, moved: mode === 'linear' ? 0 : source.size });
      const m = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'));
      expect([m.status, m.backend.name]).toEqual(['completed', 'webgpu']);
    }
  }, 240_000);
});
