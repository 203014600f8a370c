// Per-run checks that need more than the config schema: is the block registered, can the
// network be built at this depth. Each problem names the config field at fault, so the loader
// can point at the line of the experiment file that supplied the value.
import type { RunConfig } from '../config/schema.js';

export interface ModelProblem {
  field: string; // dotted config path, e.g. model.depth
  message: string;
}

export type ModelChecker = (config: RunConfig) => ModelProblem[];

/** What the checks need to know of a block: its weighted layers per block (2 basic, 3 bottleneck). */
export type BlockLookup = (name: string) => { layers: number } | undefined;

/**
 * The cifar family is a stem conv, three stages of n blocks and a dense head (He et al. 2015):
 * depth = 3·n·layersPerBlock + 2.
 */
export function cifarDepthProblem(depth: number, block: string, layersPerBlock: number): string | undefined {
  const perStage = 3 * layersPerBlock;
  if (depth >= perStage + 2 && (depth - 2) % perStage === 0) return undefined;
  const n = Math.max(1, Math.round((depth - 2) / perStage));
  const near = [n - 1, n, n + 1].filter((k) => k >= 1).map((k) => perStage * k + 2);
  return `depth ${depth} is impossible for a cifar ${block} network: it must be ${perStage}n+2 (e.g. ${near.join(', ')})`;
}

export function makeModelChecker(lookup: BlockLookup, knownNames: () => string[]): ModelChecker {
  return (config) => {
    const { family, block, depth, variant } = config.model;
    const problems: ModelProblem[] = [];
    const usesBlocks = family === 'cifar' || family === 'mlp';
    const found = lookup(block);
    if (usesBlocks && !found) {
      problems.push({
        field: 'model.block',
        message: `unknown block "${block}" (registered: ${knownNames().sort().join(', ')})`,
      });
    }
    if (family === 'cifar' && found) {
      const message = cifarDepthProblem(depth, block, found.layers);
      if (message) problems.push({ field: 'model.depth', message });
    }
    if (family === 'mlp' && depth < 2) {
      problems.push({
        field: 'model.depth',
        message: `an MLP needs depth >= 2 (input and output layers), got ${depth}`,
      });
    }
    if ((family === 'vgg' || family === 'resnet') && !variant) {
      problems.push({
        field: 'model.variant',
        message: `family ${family} needs model.variant (e.g. ${family === 'vgg' ? 'vgg16' : 'resnet18'})`,
      });
    }
    return problems;
  };
}

/** A checker over a fixed table of blocks (tests, and before the registry is loaded). */
export function checkerForBlocks(layersByBlock: Record<string, number>): ModelChecker {
  return makeModelChecker(
    (name) => (Object.hasOwn(layersByBlock, name) ? { layers: layersByBlock[name] } : undefined),
    () => Object.keys(layersByBlock),
  );
}
