// `gradflow bench --json` and `analyze --time` on a tiny model: the documented fields, and no leak.
// Timing values are not asserted (machine-dependent), only that they exist and are consistent.
import analyze from '../../src/cli/commands/analyze.js';
import bench from '../../src/cli/commands/bench.js';
import { benchJsonLine, type BenchResult } from '../../src/costs/bench.js';
import { runHandler } from './run-command.js';

const tiny = {
  model: 'cifar',
  depth: 8,
  block: 'plain',
  width: 4,
  input: '8x8x1',
  batch: 4,
  seed: 0,
  backend: 'cpu',
  threads: 1,
};

describe('gradflow bench', () => {
  test('--json --steps 2 prints one line with the documented fields and equal tensor counts', async () => {
    const { stdout } = await runHandler(bench, { ...tiny, steps: 2, warmup: 1, json: true });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]) as BenchResult;
    expect(r).toMatchObject({
      model: 'cifar-plain-d8',
      batch: 4,
      size: 8,
      channels: 1,
      threads: 1,
      backend: 'cpu',
      steps: 2,
    });
    for (const key of [
      'params',
      'step_ms_median',
      'step_ms_min',
      'peak_rss_mb',
      'forward_ms_median',
      'images_per_s',
      'train_gflops_per_s',
    ]) {
      expect(typeof (r as unknown as Record<string, unknown>)[key]).toBe('number');
    }
    expect(r.step_ms_min).toBeLessThanOrEqual(r.step_ms_median);
    expect(r.step_ms_median).toBeGreaterThan(0);
    expect(r.peak_rss_mb).toBeGreaterThan(10);
    expect(r.num_tensors_after).toBe(r.num_tensors_before);
    // what the side-by-side benchmark script extracts with sed 's/.*"step_ms_median": *\([0-9.]*\).*/\1/p'
    expect(/"step_ms_median": *([0-9.]*)/.exec(lines[0])![1]).toBe(String(r.step_ms_median));
    expect(/"peak_rss_mb": *([0-9.]*)/.exec(lines[0])![1]).toBe(String(r.peak_rss_mb));
    // GFLOP/s follow from the analyzer's count: 3 x forward FLOPs x batch per step
    expect(r.train_gflops_per_s).toBeCloseTo(
      (3 * r.forward_flops_per_image * r.batch) / (r.step_ms_median * 1e6),
      1,
    );
  });

  test('the JSON line is spaced like torch_reference.py (json.dumps) and parses', () => {
    const line = benchJsonLine({ model: 'm', step_ms_median: 12.5 } as unknown as BenchResult);
    expect(line).toBe('{"model": "m", "step_ms_median": 12.5}');
    expect(JSON.parse(line)).toEqual({ model: 'm', step_ms_median: 12.5 });
  });

  test('bad flags are user errors naming the flag', async () => {
    await expect(runHandler(bench, { ...tiny, steps: 0, warmup: 1, json: true })).rejects.toThrow(
      /--steps must be an integer >= 1, got 0/,
    );
    await expect(runHandler(bench, { ...tiny, depth: 9, steps: 1, warmup: 1, json: true })).rejects.toThrow(
      /depth 9 is impossible/,
    );
  });
});

describe('gradflow analyze --time', () => {
  test('adds measured forward and training-step time per image beside the counts', async () => {
    const { stdout } = await runHandler(analyze, {
      models: ['cifar-resnet8'],
      input: '8x8x1',
      batch: 4,
      perLayer: false,
      json: true,
      csv: false,
      time: true,
      timeBatch: 2,
      timeSteps: 1,
      backend: 'cpu',
    });
    const [row] = JSON.parse(stdout);
    expect(row).toMatchObject({ model: 'cifar-resnet8', time_backend: 'cpu', time_batch: 2 });
    expect(row.forward_ms_per_image).toBeGreaterThan(0);
    expect(row.train_ms_per_image).toBeGreaterThan(0);
  });
});

describe('leak check', () => {
  test('unequal tensor counts fail loudly, naming both counts', async () => {
    const { checkNoLeak } = await import('../../src/costs/bench.js');
    const r = { num_tensors_before: 158, num_tensors_after: 170, steps: 10, backend: 'wasm' } as BenchResult;
    expect(() => checkNoLeak(r)).toThrow(
      /tensor leak: tf.memory\(\).numTensors was 158 after warm-up and 170 after 10 steps/,
    );
    expect(() => checkNoLeak({ ...r, num_tensors_after: 158 })).not.toThrow();
  });
});
