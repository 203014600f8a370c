// summary.csv and summary-by-config.csv from run manifests: rows, order, seed aggregation.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunConfig } from '../../src/config/schema.js';
import type { Manifest } from '../../src/store/types.js';
import { configKey, writeSummaries } from '../../src/sweep/summary.js';
import { removeTempDirs, tempDir } from './cli-helper.js';

afterAll(() => removeTempDirs());

function manifest(
  id: string,
  block: string,
  depth: number,
  seed: number,
  status: Manifest['status'],
  errors?: [number, number],
): Manifest {
  return {
    id,
    experiment: 'e',
    config: RunConfig.parse({ model: { block, depth }, seed }),
    seed,
    status,
    backend: { name: 'cpu', version: '4.22.0', threads: 1 },
    versions: {},
    gitCommit: null,
    host: 'h',
    startedAt: '2026-01-01T00:00:00Z',
    wallSeconds: 12.345,
    params: { trainable: 1000 + depth, total: 1100 + depth },
    residual: block !== 'plain',
    steps: 10,
    totalSteps: 10,
    ...(errors ? { final: { trainError: errors[0], trainLoss: 1, testError: errors[1], testLoss: 1 } } : {}),
    warnings: [],
  };
}

function writeRun(dir: string, m: Manifest): void {
  mkdirSync(join(dir, m.id), { recursive: true });
  writeFileSync(join(dir, m.id, 'manifest.json'), JSON.stringify(m));
}

const parse = (text: string) => {
  const [header, ...rows] = text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

describe('summaries', () => {
  it('writes one row per run, shallow before deep and plain before residual, and aggregates seeds', async () => {
    const dir = tempDir('summary');
    writeRun(dir, manifest('cifar-basic-d20-s0', 'basic', 20, 0, 'completed', [0.1, 0.2]));
    writeRun(dir, manifest('cifar-basic-d20-s1', 'basic', 20, 1, 'completed', [0.3, 0.4]));
    writeRun(dir, manifest('cifar-plain-d110-s0', 'plain', 110, 0, 'diverged', [0.9, 0.9]));
    writeRun(dir, manifest('cifar-plain-d20-s0', 'plain', 20, 0, 'failed'));
    writeRun(dir, manifest('cifar-plain-d20-s1', 'plain', 20, 1, 'completed', [0.25, 0.3]));
    mkdirSync(join(dir, 'not-a-run')); // no manifest: ignored

    const written = await writeSummaries(dir);
    const rows = parse(readFileSync(written.summary, 'utf8'));
    expect(rows.map((r) => r.run)).toEqual([
      'cifar-plain-d20-s0',
      'cifar-plain-d20-s1',
      'cifar-plain-d110-s0',
      'cifar-basic-d20-s0',
      'cifar-basic-d20-s1',
    ]);
    expect(rows[0]).toEqual({
      run: 'cifar-plain-d20-s0',
      family: 'cifar',
      block: 'plain',
      residual: 'false',
      norm: 'batch',
      depth: '20',
      seed: '0',
      status: 'failed',
      params: '1020',
      train_error: '',
      test_error: '',
      wall_s: '12.3',
      config: 'cifar-plain-d20',
    });
    expect(rows[3]).toMatchObject({
      status: 'completed',
      residual: 'true',
      train_error: '0.1',
      test_error: '0.2',
    });

    const configs = parse(readFileSync(written.byConfig, 'utf8'));
    expect(configs.map((c) => c.config)).toEqual(['cifar-plain-d20', 'cifar-plain-d110', 'cifar-basic-d20']);
    // The failed seed has no result: 1 of 2 runs counts.
    expect(configs[0]).toMatchObject({
      runs: '2',
      n: '1',
      train_error_mean: '0.25',
      train_error_sd: '',
      train_error_min: '0.25',
    });
    // Diverged runs are results.
    expect(configs[1]).toMatchObject({ runs: '1', n: '1', train_error_mean: '0.9' });
    // mean 0.2, sample sd sqrt(((0.1)^2 + (0.1)^2) / 1) = 0.141421
    expect(configs[2]).toMatchObject({
      n: '2',
      train_error_mean: '0.2',
      train_error_sd: '0.141421',
      train_error_min: '0.1',
      train_error_max: '0.3',
      test_error_mean: '0.3',
      test_error_sd: '0.141421',
      test_error_min: '0.2',
      test_error_max: '0.4',
    });
    // A run whose manifest is damaged is left out, not fatal: the sweep reports it by name.
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'manifest.json'), '{"id": "bro');
    await writeSummaries(dir);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).not.toContain('broken');
    // Atomic writes leave no temp files behind.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('keys configurations by the run id less its seed', () => {
    expect(configKey(manifest('cifar-basic-d20-s11-lr0.1', 'basic', 20, 11, 'completed'))).toBe(
      'cifar-basic-d20-lr0.1',
    );
    expect(configKey(manifest('cifar-basic-d20-s1', 'basic', 20, 1, 'completed'))).toBe('cifar-basic-d20');
  });
});
