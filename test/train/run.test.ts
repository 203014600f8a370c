// A whole run on synthetic data: the files it leaves, their columns, probes at step 0 for every
// layer, learning, divergence handling and tensor hygiene.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readCsv } from '../../src/store/csv-log.js';
import { LAYER_COLUMNS, METRIC_COLUMNS, type Manifest } from '../../src/store/types.js';
import { runTraining } from '../../src/train/run.js';
import { tempResults, tinyConfig } from './helpers.js';

const quiet = { backend: 'cpu', quiet: true } as const;

test('a synthetic run writes manifest, tidy metrics and per-layer probes; loss falls', async () => {
  const dir = tempResults();
  const cfg = tinyConfig({ train: { steps: 40, lr: 0.05 }, data: { trainSize: 128 } });
  const m = await runTraining({ id: 'tiny', experiment: 'unit', config: cfg }, { resultsDir: dir, ...quiet });
  const runDir = join(dir, 'tiny');
  expect(m.status).toBe('completed');
  const onDisk = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
  expect(onDisk.status).toBe('completed');
  expect(onDisk.backend.name).toBe('cpu');
  expect(onDisk.machine).toEqual({
    cpu: cpus()[0].model.trim(),
    cores: cpus().length,
    memoryGb: expect.closeTo(totalmem() / 2 ** 30, 1),
  });
  expect(onDisk.params.trainable).toBeGreaterThan(0);
  expect(onDisk.final!.testError).toBeGreaterThanOrEqual(0);
  expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8').split('\n')[0]).toBe(METRIC_COLUMNS.join(','));
  expect(readFileSync(join(runDir, 'layers.csv'), 'utf8').split('\n')[0]).toBe(LAYER_COLUMNS.join(','));

  const layers = await readCsv<Record<string, string>>(join(runDir, 'layers.csv'));
  const atInit = layers.filter((r) => r.step === '0' && r.stat === 'grad_norm');
  // depth 8 = stem + 6 convs + head: every weight-bearing layer probed at initialisation
  expect(new Set(atInit.map((r) => r.layer)).size).toBe(8);
  for (const stat of [
    'grad_norm',
    'weight_norm',
    'grad_weight_ratio',
    'update_ratio',
    'response_std',
    'response_mean',
    'dead_fraction',
  ]) {
    expect(layers.some((r) => r.stat === stat)).toBe(true);
  }
  expect(new Set(layers.map((r) => r.step))).toEqual(
    new Set(['0', '4', '8', '12', '16', '20', '24', '28', '32', '36']),
  );

  const metrics = await readCsv<Record<string, string>>(join(runDir, 'metrics.csv'));
  const losses = metrics
    .filter((r) => r.split === 'train' && r.metric === 'loss')
    .map((r) => Number(r.value));
  const firstQuarter = losses.slice(0, losses.length / 4);
  const lastQuarter = losses.slice((3 * losses.length) / 4);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  expect(mean(lastQuarter)).toBeLessThan(mean(firstQuarter));
  expect(metrics.some((r) => r.split === 'test' && r.metric === 'error')).toBe(true);
  expect(metrics.some((r) => r.metric === 'step_ms' && Number(r.value) > 0)).toBe(true);
  expect(existsSync(join(runDir, 'checkpoint', 'ckpt.bin'))).toBe(true);
});

test('a run that diverges ends "diverged" with its step, returns normally and leaves readable files', async () => {
  const dir = tempResults();
  const cfg = tinyConfig({
    train: { steps: 30, lr: 1e6, schedule: { type: 'constant' } },
    model: { norm: 'none', block: 'plain' },
  });
  const m = await runTraining({ id: 'boom', experiment: 'unit', config: cfg }, { resultsDir: dir, ...quiet });
  expect(m.status).toBe('diverged');
  expect(m.statusStep).toBeGreaterThanOrEqual(0);
  expect(m.statusStep).toBeLessThan(30);
  expect(m.statusReason).toMatch(/loss became (NaN|Infinity)/);
  await expect(readCsv(join(dir, 'boom', 'metrics.csv'))).resolves.toBeInstanceOf(Array);
  // a finished (diverged) run is a result: running it again does not retrain
  const again = await runTraining(
    { id: 'boom', experiment: 'unit', config: cfg },
    { resultsDir: dir, ...quiet },
  );
  expect(again.startedAt).toBe(m.startedAt);
});

test('tf.memory().numTensors stays flat across 50 steps with probes on every step', async () => {
  const dir = tempResults();
  const counts: number[] = [];
  const cfg = tinyConfig({ train: { steps: 50 }, probe: { every: 1 } });
  await runTraining(
    { id: 'flat', experiment: 'unit', config: cfg },
    { resultsDir: dir, ...quiet, onProgress: () => counts.push(tf.memory().numTensors) },
  );
  expect(counts.length).toBe(50);
  // after the first steps have created the optimiser slots, nothing accumulates
  expect(new Set(counts.slice(2))).toEqual(new Set([counts[2]]));
});

test('the final training error is measured on the number of examples asked for, or all of them, and the manifest says how many', async () => {
  const dir = tempResults();
  const run = async (id: string, finalTrainExamples: number | 'all') =>
    runTraining(
      {
        id,
        experiment: 'unit',
        config: tinyConfig({ data: { trainSize: 96 }, train: { steps: 4, finalTrainExamples } }),
      },
      { resultsDir: dir, ...quiet },
    );
  const [some, all] = [await run('some', 40), await run('all', 'all')];
  expect(some.final!.trainExamples).toBe(40);
  expect(all.final!.trainExamples).toBe(96);
  // 40 examples resolve errors in steps of 1/40
  expect(Math.abs(some.final!.trainError * 40 - Math.round(some.final!.trainError * 40))).toBeLessThan(1e-6);
});
