// Per-run checks that need more than the config schema, asked of the registries: is the dataset
// and the model family known, and can the family build this config (its own rules: depths,
// variants, blocks). Each problem names the config field at fault, so the loader can point at the
// line of the experiment file that supplied the value.
import type { RunConfig } from '../config/schema.js';
import type { ConfigProblem } from '../ground/errors.js';
import { hasDataset, listDatasets } from '../data/datasets.js';
import { getModelFamily, hasModelFamily, listModelFamilies } from '../models/families.js';
import type { BlockLookup } from '../models/family.js';

export type ModelChecker = (config: RunConfig) => ConfigProblem[];

export function makeModelChecker(blocks: BlockLookup): ModelChecker {
  return (config) => {
    const problems: ConfigProblem[] = [];
    if (!hasDataset(config.data.name)) {
      const known = listDatasets().map((d) => d.name);
      problems.push({
        path: 'data.name',
        message: `unknown dataset "${config.data.name}" (registered: ${known.join(', ')})`,
      });
    }
    if (!hasModelFamily(config.model.family)) {
      const known = listModelFamilies().map((f) => f.name);
      problems.push({
        path: 'model.family',
        message: `unknown model family "${config.model.family}" (registered: ${known.join(', ')})`,
      });
      return problems;
    }
    return [...problems, ...getModelFamily(config.model.family).check(config.model, blocks)];
  };
}

/** A checker over a fixed table of blocks (tests, and before the block registry is loaded). */
export function checkerForBlocks(layersByBlock: Record<string, number>): ModelChecker {
  return makeModelChecker({
    get: (name) =>
      Object.hasOwn(layersByBlock, name)
        ? { name, layers: layersByBlock[name], expansion: layersByBlock[name] === 3 ? 4 : 1 }
        : undefined,
    names: () => Object.keys(layersByBlock),
  });
}
