// The default plan check: ask the registries (after the experiment's plugins have registered
// their blocks, families and datasets, so a plugin's is as valid in a sweep as a built-in one),
// then let the model builder trace the network in shape mode, which allocates nothing and catches
// whatever else it would refuse at run time (block options, a too-small input, ...).
import { dataShape } from '../data/datasets.js';
import type { ConfigProblem } from '../ground/errors.js';
import { registeredBlocks } from '../models/families.js';
import { loadPlugins } from '../plugins.js';
import { makeModelChecker, type ModelChecker } from './model-check.js';

export async function registryChecker(plugins: string[]): Promise<ModelChecker> {
  await loadPlugins(plugins);
  const { traceModel } = await import('../models/index.js');
  const byRule = makeModelChecker(registeredBlocks);
  const traced = new Map<string, ConfigProblem[]>();
  return (config) => {
    const problems = byRule(config);
    if (problems.length) return problems;
    const { inputShape, numClasses } = dataShape(config.data);
    const key = JSON.stringify([config.model, inputShape, numClasses]);
    if (!traced.has(key)) {
      try {
        traceModel(config.model, inputShape, numClasses);
        traced.set(key, []);
      } catch (err) {
        // A builder names the field it refuses (ConfigError); anything else is about the model.
        const path = (err as { path?: unknown }).path;
        traced.set(key, [
          { path: typeof path === 'string' ? path : 'model', message: (err as Error).message },
        ]);
      }
    }
    return traced.get(key)!;
  };
}
