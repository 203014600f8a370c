// loadDataset: one DataConfig and seed in, one ready-to-batch Dataset out.
// Order of operations (each seeded by its own stream of `seed`):
//   load or generate -> keep `classes` (relabelled) -> cap trainSize / testSize
//   -> hold out `validation` of train (stratified; becomes the eval split)
//   -> `labelsPerClass` budget on what is left of train -> per-channel normalisation from train.
// The validation hold-out comes before the budget, so every budget of a sweep is evaluated on
// the same examples; budgets under one seed nest (10 per class is a subset of 100).
import type { DataConfig } from '../config/schema.js';
import { getDataset } from './datasets.js';
import { DataError } from './errors.js';
import { channelStats, normalizeInPlace } from './normalize.js';
import { makeRng } from './rng.js';
import { cap, checkClasses, filterClasses, holdOut, labelBudget } from './subset.js';
import type { Dataset } from './types.js';

export type { Dataset, Split } from './types.js';
export { exampleSize } from './types.js';
export { DataError } from './errors.js';
export { BatchIterator, type Batch, type IteratorState } from './batches.js';
export type { DatasetDefinition, RawDataset } from './dataset.js';
export { dataShape, getDataset, hasDataset, listDatasets, registerDataset } from './datasets.js';

/** The files a dataset is read from (none for generated data): what identifies its examples. */
export function datasetFiles(cfg: DataConfig): string[] {
  return getDataset(cfg.name).files(cfg);
}

/**
 * `seed` (data.seed) fixes the examples; the label budget is drawn from it and `runSeed`, so each
 * seed of a sweep is an independent draw of the labelled subset, as in label-budget studies.
 */
export async function loadDataset(cfg: DataConfig, seed: number, runSeed = 0): Promise<Dataset> {
  const def = getDataset(cfg.name);
  const raw = def.load(cfg, seed);
  const { inputShape } = raw;
  let { train, test } = raw;
  let numClasses = def.classes;
  const generated = def.generated;
  if (cfg.classes) {
    if (!generated) checkClasses(cfg.classes, numClasses, cfg.name);
    train = filterClasses(train, cfg.classes, inputShape);
    test = filterClasses(test, cfg.classes, inputShape);
    numClasses = cfg.classes.length;
  }
  if (!generated) {
    if (cfg.trainSize !== undefined)
      train = cap(train, cfg.trainSize, makeRng(seed, 'cap-train'), inputShape);
    if (cfg.testSize !== undefined) test = cap(test, cfg.testSize, makeRng(seed, 'cap-test'), inputShape);
  }
  let evalSplit: Dataset['evalSplit'] = 'test';
  if (cfg.validation > 0) {
    const [rest, val] = holdOut(train, cfg.validation, numClasses, makeRng(seed, 'validation'), inputShape);
    if (val.n === 0)
      throw new DataError(
        undefined,
        `data.validation ${cfg.validation} of ${train.n} training examples holds out none`,
      );
    train = rest;
    test = val;
    evalSplit = 'val';
  }
  if (cfg.labelsPerClass !== undefined) {
    train = labelBudget(
      train,
      cfg.labelsPerClass,
      numClasses,
      makeRng(seed, `label-budget-${runSeed}`),
      inputShape,
    );
  }
  let stats: Dataset['stats'];
  if (cfg.normalize) {
    stats = channelStats(train.x, inputShape[inputShape.length - 1]);
    normalizeInPlace(train.x, stats);
    normalizeInPlace(test.x, stats);
  }
  return { name: cfg.name, inputShape, numClasses, train, test, evalSplit, stats };
}
