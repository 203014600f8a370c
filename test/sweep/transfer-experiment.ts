// A small transfer experiment (pretraining on classes 0-4, then a linear probe and full fine-tuning
// on classes 5-9) and the body of a run's checkpoint, for the tests that run one on some backend.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint } from '../../src/weights/checkpoint.js';

/** Writes tl.json into `dir` (pretraining settings overridable) and returns its path. */
export function writeExperiment(dir: string, pretrain: Record<string, unknown>): string {
  const file = join(dir, 'tl.json');
  const experiment = {
    name: 'tl',
    base: {
      data: {
        name: 'synthetic',
        size: 8,
        channels: 1,
        trainSize: 200,
        testSize: 50,
        classes: [5, 6, 7, 8, 9],
      },
      model: { family: 'cifar', depth: 8, width: 4, block: 'basic' },
      train: { steps: 4, batchSize: 16, lr: 0.05 },
      probe: { every: 2 },
      transfer: { mode: 'linear' },
    },
    pretrain: { 'data.classes': [0, 1, 2, 3, 4], 'train.steps': 6, ...pretrain },
    sweep: { 'transfer.mode': ['linear', 'finetune'] },
    seeds: [0],
  };
  writeFileSync(file, JSON.stringify(experiment));
  return file;
}

/** A checkpoint's weights but the optimiser's, the initial ones and the head's, as bytes. */
export const body = (runDir: string) =>
  new Map(
    loadCheckpoint(runDir)!
      .tensors.filter(
        (t) => !t.name.startsWith('opt:') && !t.name.startsWith('init:') && !t.name.startsWith('head.'),
      )
      .map((t) => [t.name, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)]),
  );
