// The datasets gradflow ships: one definition each (data/dataset.ts).
import type { DataConfig } from '../config/schema.js';
import { cifarDirectoryFiles, loadCifarDirectory } from './cifar.js';
import type { DatasetDefinition } from './dataset.js';
import { idxDirectoryFiles, loadIdxDirectory } from './idx.js';
import { checkClasses } from './subset.js';
import { SYNTHETIC_CLASSES, generateSyntheticImages } from './synthetic-images.js';
import { VECTOR_CLASSES, generateSyntheticVectors } from './synthetic-vectors.js';

const SYNTHETIC_TRAIN = 10000;
const SYNTHETIC_TEST = 2000;

/** Generated examples: the kept classes, at the requested counts (none of a test set unused for a validation split). */
function counts(cfg: DataConfig, classes: number): { classes: number[]; train: number; test: number } {
  const kept = cfg.classes ?? Array.from({ length: classes }, (_, i) => i);
  checkClasses(kept, classes, cfg.name);
  return {
    classes: kept,
    train: cfg.trainSize ?? SYNTHETIC_TRAIN,
    test: cfg.validation > 0 ? 0 : (cfg.testSize ?? SYNTHETIC_TEST),
  };
}

const synthetic: DatasetDefinition = {
  name: 'synthetic',
  description: 'procedurally generated 10-class images (data.size, data.channels)',
  classes: SYNTHETIC_CLASSES,
  inputShape: (cfg) => [cfg.size, cfg.size, cfg.channels],
  files: () => [],
  generated: true,
  load(cfg, seed) {
    const n = counts(cfg, SYNTHETIC_CLASSES);
    const common = { size: cfg.size, channels: cfg.channels, classes: n.classes, seed };
    return {
      train: generateSyntheticImages({ ...common, count: n.train, purpose: 'train' }),
      test: generateSyntheticImages({ ...common, count: n.test, purpose: 'test' }),
      inputShape: [cfg.size, cfg.size, cfg.channels],
    };
  },
};

const syntheticVectors: DatasetDefinition = {
  name: 'synthetic-vectors',
  description: 'generated 10-class vectors (data.features): the MLP task',
  classes: VECTOR_CLASSES,
  inputShape: (cfg) => [cfg.features],
  files: () => [],
  generated: true,
  load(cfg, seed) {
    const n = counts(cfg, VECTOR_CLASSES);
    const common = { features: cfg.features, classes: n.classes, seed };
    return {
      train: generateSyntheticVectors({ ...common, count: n.train, purpose: 'train' }),
      test: generateSyntheticVectors({ ...common, count: n.test, purpose: 'test' }),
      inputShape: [cfg.features],
    };
  },
};

const idx = (name: string, description: string): DatasetDefinition => ({
  name,
  description,
  classes: 10,
  inputShape: () => [28, 28, 1],
  files: (cfg) => idxDirectoryFiles(cfg.path, name),
  generated: false,
  load: (cfg) => loadIdxDirectory(cfg.path, name),
});

const cifar10: DatasetDefinition = {
  name: 'cifar10',
  description: 'CIFAR-10 binary batches under data.path',
  classes: 10,
  inputShape: () => [32, 32, 3],
  files: (cfg) => cifarDirectoryFiles(cfg.path),
  generated: false,
  load: (cfg) => loadCifarDirectory(cfg.path),
};

export const builtinDatasets: { file: string; items: DatasetDefinition[] }[] = [
  {
    file: 'src/data/builtin-datasets.ts',
    items: [
      synthetic,
      syntheticVectors,
      idx('mnist', 'MNIST IDX files under data.path (raw or .gz)'),
      idx('fashion-mnist', 'Fashion-MNIST IDX files under data.path (raw or .gz)'),
      cifar10,
    ],
  },
];
