// A model family (cifar, mlp, vgg, resnet, or a plugin's): what it accepts, what it defaults, and
// how it builds. The builder, the sweep's plan check and the manifest all ask the family, so its
// rules (valid depths, variants, blocks) are kept in one place.
import { getBlock, hasBlock, listBlocks } from '../blocks/registry.js';
import type { BlockDefinition } from '../blocks/types.js';
import type { ModelConfig } from '../config/schema.js';
import { ConfigError, type ConfigProblem } from '../ground/errors.js';
import type { NetworkSpec } from './network.js';
import type { LesionOptions } from './stages.js';

/** What a family's check needs to know of the blocks: one by name (undefined if unknown), and all names. */
export interface BlockLookup {
  get(name: string): Pick<Required<BlockDefinition>, 'name' | 'layers' | 'expansion'> | undefined;
  names(): string[];
}

/** The problem of a block name nobody registered, listing the ones there are. */
export function unknownBlock(name: string, blocks: BlockLookup): ConfigProblem {
  return {
    path: 'model.block',
    message: `unknown block "${name}" (registered: ${blocks.names().sort().join(', ')})`,
  };
}

/** A lookup that knows one block only (a builder checking the block it already holds). */
export function onlyBlock(
  block: Pick<Required<BlockDefinition>, 'name' | 'layers' | 'expansion'>,
): BlockLookup {
  return { get: (name) => (name === block.name ? block : undefined), names: () => [block.name] };
}

export interface ModelFamily {
  name: string;
  description: string;
  /** Problems with a config for this family, each naming its field; [] when it can be built. */
  check(cfg: ModelConfig, blocks: BlockLookup): ConfigProblem[];
  /** Weighted layers (conv + dense) of the net the config builds: the depth a report plots. */
  weightedLayers(cfg: ModelConfig, blocks: BlockLookup): number;
  /** The network, for a config that passed `check`; `lesion` deletes blocks (families with stages of blocks). */
  network(cfg: ModelConfig, inputShape: number[], numClasses: number, lesion?: LesionOptions): NetworkSpec;
}

/** Throws the first problem `check` finds, as a ConfigError naming its field. */
export function assertBuildable(family: ModelFamily, cfg: ModelConfig, blocks: BlockLookup): void {
  const [first] = family.check(cfg, blocks);
  if (first) throw new ConfigError(first.path, first.message);
}

/** Image families need [height, width, channels]. */
export function requireImage(family: string, inputShape: number[]): void {
  if (inputShape.length !== 3) {
    throw new ConfigError(
      'data',
      `model.family "${family}" needs image input [height, width, channels], got [${inputShape}]`,
    );
  }
}

/** The block registry as a family's check sees it. */
export const registeredBlocks: BlockLookup = {
  get: (name) => (hasBlock(name) ? getBlock(name) : undefined),
  names: () => listBlocks().map((b) => b.name),
};
