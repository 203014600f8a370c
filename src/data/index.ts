// loadDataset: one DataConfig and seed in, one ready-to-batch Dataset out.
// Order of operations (each seeded by its own stream of `seed`):
//   load or generate -> keep `classes` (relabelled) -> cap trainSize / testSize
//   -> hold out `validation` of train (stratified; becomes the eval split)
//   -> `labelsPerClass` budget on what is left of train -> per-channel normalisation from train.
// The validation hold-out comes before the budget, so every budget of a sweep is evaluated on
// the same examples; budgets under one seed nest (10 per class is a subset of 100).
import type { DataConfig } from '../config/schema.js';
import { cifarDirectoryFiles, loadCifarDirectory } from './cifar.js';
import { DataError } from './errors.js';
import { idxDirectoryFiles, loadIdxDirectory } from './idx.js';
import { channelStats, normalizeInPlace } from './normalize.js';
import { makeRng } from './rng.js';
import { cap, filterClasses, holdOut, labelBudget } from './subset.js';
import { SYNTHETIC_CLASSES, generateSyntheticImages } from './synthetic-images.js';
import { VECTOR_CLASSES, generateSyntheticVectors } from './synthetic-vectors.js';
import type { Dataset, Split } from './types.js';

export type { Dataset, Split } from './types.js';
export { exampleSize } from './types.js';
export { DataError } from './errors.js';
export { BatchIterator, type Batch, type IteratorState } from './batches.js';

const SYNTHETIC_TRAIN = 10000;
const SYNTHETIC_TEST = 2000;

interface Raw {
  train: Split;
  test: Split;
  inputShape: number[];
  numClasses: number;
  /** Synthetic data is generated for the kept classes only, already at the requested counts. */
  generated: boolean;
}

function checkClasses(classes: number[], numClasses: number, name: string): void {
  const seen = new Set<number>();
  for (const c of classes) {
    if (c >= numClasses)
      throw new DataError(
        undefined,
        `data.classes: label ${c} does not exist in ${name} (labels 0..${numClasses - 1})`,
      );
    if (seen.has(c)) throw new DataError(undefined, `data.classes: label ${c} is listed twice`);
    seen.add(c);
  }
  if (classes.length < 2)
    throw new DataError(undefined, `data.classes needs at least 2 labels, got [${classes.join(', ')}]`);
}

function loadRaw(cfg: DataConfig, seed: number): Raw {
  const all = (k: number) => Array.from({ length: k }, (_, i) => i);
  // With a validation split the test set is never used: generate none of it.
  const testCount = cfg.validation > 0 ? 0 : (cfg.testSize ?? SYNTHETIC_TEST);
  switch (cfg.name) {
    case 'synthetic': {
      const classes = cfg.classes ?? all(SYNTHETIC_CLASSES);
      checkClasses(classes, SYNTHETIC_CLASSES, 'synthetic');
      const common = { size: cfg.size, channels: cfg.channels, classes, seed };
      return {
        train: generateSyntheticImages({
          ...common,
          count: cfg.trainSize ?? SYNTHETIC_TRAIN,
          purpose: 'train',
        }),
        test: generateSyntheticImages({ ...common, count: testCount, purpose: 'test' }),
        inputShape: [cfg.size, cfg.size, cfg.channels],
        numClasses: SYNTHETIC_CLASSES,
        generated: true,
      };
    }
    case 'synthetic-vectors': {
      const classes = cfg.classes ?? all(VECTOR_CLASSES);
      checkClasses(classes, VECTOR_CLASSES, 'synthetic-vectors');
      const common = { features: cfg.features, classes, seed };
      return {
        train: generateSyntheticVectors({
          ...common,
          count: cfg.trainSize ?? SYNTHETIC_TRAIN,
          purpose: 'train',
        }),
        test: generateSyntheticVectors({ ...common, count: testCount, purpose: 'test' }),
        inputShape: [cfg.features],
        numClasses: VECTOR_CLASSES,
        generated: true,
      };
    }
    case 'mnist':
    case 'fashion-mnist':
      return { ...loadIdxDirectory(cfg.path, cfg.name), numClasses: 10, generated: false };
    case 'cifar10':
      return { ...loadCifarDirectory(cfg.path), numClasses: 10, generated: false };
  }
}

/** The files a dataset is read from (none for generated data): what identifies its examples. */
export function datasetFiles(cfg: DataConfig): string[] {
  switch (cfg.name) {
    case 'synthetic':
    case 'synthetic-vectors':
      return [];
    case 'mnist':
    case 'fashion-mnist':
      return idxDirectoryFiles(cfg.path, cfg.name);
    case 'cifar10':
      return cifarDirectoryFiles(cfg.path);
  }
}

/**
 * `seed` (data.seed) fixes the examples; the label budget is drawn from it and `runSeed`, so each
 * seed of a sweep is an independent draw of the labelled subset, as in label-budget studies.
 */
export async function loadDataset(cfg: DataConfig, seed: number, runSeed = 0): Promise<Dataset> {
  const raw = loadRaw(cfg, seed);
  const { inputShape } = raw;
  let { train, test } = raw;
  let numClasses = raw.numClasses;
  if (cfg.classes) {
    if (!raw.generated) checkClasses(cfg.classes, numClasses, cfg.name);
    train = filterClasses(train, cfg.classes, inputShape);
    test = filterClasses(test, cfg.classes, inputShape);
    numClasses = cfg.classes.length;
  }
  if (!raw.generated) {
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
