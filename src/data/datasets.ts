// The datasets, by name: the built-ins, and any a plugin registers with registerDataset.
import type { DataConfig } from '../config/schema.js';
import { createRegistry } from '../ground/registry.js';
import { builtinDatasets } from './builtin-datasets.js';
import type { DatasetDefinition } from './dataset.js';

const datasets = createRegistry<DatasetDefinition>('dataset', { builtins: () => builtinDatasets });

export const registerDataset = (def: DatasetDefinition): DatasetDefinition => datasets.register(def);
export const getDataset = (name: string): DatasetDefinition => datasets.get(name);
export const hasDataset = (name: string): boolean => datasets.has(name);
export const listDatasets = (): DatasetDefinition[] => datasets.list();

/** Per-example input shape and class count a data config yields, without reading any data. */
export function dataShape(cfg: DataConfig): { inputShape: number[]; numClasses: number } {
  const def = getDataset(cfg.name);
  return { inputShape: def.inputShape(cfg), numClasses: cfg.classes?.length ?? def.classes };
}
