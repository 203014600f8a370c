// Tiny run configurations that train in seconds on the cpu backend.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfig } from '../../src/config/schema.js';

export function tinyConfig(overrides: Record<string, any> = {}): RunConfig {
  return RunConfig.parse({
    data: { name: 'synthetic', size: 8, channels: 1, trainSize: 64, testSize: 32, ...overrides.data },
    model: { family: 'cifar', depth: 8, block: 'basic', width: 4, ...overrides.model },
    train: { batchSize: 16, steps: 12, lr: 0.05, checkpointMinutes: 60, ...overrides.train },
    probe: { every: 4, ...overrides.probe },
    seed: overrides.seed ?? 0,
  });
}

export function tempResults(): string {
  return mkdtempSync(join(tmpdir(), 'gradflow-train-'));
}
