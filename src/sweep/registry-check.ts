// The default block and depth checks: ask the block registry (after the experiment's plugins have
// registered their blocks, so a plugin block is as valid in a sweep as a built-in one), then let
// the model builder trace the network in shape mode, which allocates nothing and catches whatever
// else it would refuse at run time (block options, a family not available, ...).
import type { RunConfig } from '../config/schema.js';
import { hasBlock, getBlock, listBlocks } from '../blocks/registry.js';
import { loadPlugins } from '../plugins.js';
import { makeModelChecker, type ModelChecker, type ModelProblem } from './model-check.js';

/** Per-example input shape and class count a data config yields, without reading any data. */
export function dataShape(data: RunConfig['data']): { inputShape: number[]; numClasses: number } {
  const numClasses = data.classes?.length ?? 10;
  switch (data.name) {
    case 'synthetic':
      return { inputShape: [data.size, data.size, data.channels], numClasses };
    case 'synthetic-vectors':
      return { inputShape: [data.features], numClasses };
    case 'cifar10':
      return { inputShape: [32, 32, 3], numClasses };
    default:
      return { inputShape: [28, 28, 1], numClasses };
  }
}

/** Which config field a builder complaint is about, judged by its wording. */
function fieldOf(message: string): string {
  if (/blockOptions|option/i.test(message)) return 'model.blockOptions';
  if (/depth/i.test(message)) return 'model.depth';
  if (/family/i.test(message)) return 'model.family';
  if (/variant/i.test(message)) return 'model.variant';
  if (/block/i.test(message)) return 'model.block';
  return 'model';
}

export async function registryChecker(plugins: string[]): Promise<ModelChecker> {
  await loadPlugins(plugins);
  const { traceModel } = await import('../models/index.js');
  const byRule = makeModelChecker(
    (name) => (hasBlock(name) ? { layers: getBlock(name).layers } : undefined),
    () => listBlocks().map((b) => b.name),
  );
  const traced = new Map<string, ModelProblem[]>();
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
        const message = (err as Error).message;
        traced.set(key, [{ field: fieldOf(message), message }]);
      }
    }
    return traced.get(key)!;
  };
}
