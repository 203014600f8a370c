// The one place the model builders find blocks: a registry (ground/registry.ts) whose built-ins
// register on first use; plugins register while src/plugins.ts imports them, which tags each
// block with its source file.
import { UserError } from '../ground/errors.js';
import { createRegistry } from '../ground/registry.js';
import { builtinBlocks } from './builtin.js';
import type { BlockDefinition, RegisteredBlock } from './types.js';

const blocks = createRegistry<BlockDefinition>('block', {
  builtins: () => builtinBlocks.map(({ file, blocks: items }) => ({ file, items })),
  normalize: (def, source) => {
    if (typeof def.build !== 'function') {
      throw new UserError(
        `registerBlock (${source}): block "${def.name}" has no build(x, ctx, args) function`,
      );
    }
    return {
      name: def.name,
      description: def.description ?? '',
      reference: def.reference ?? '',
      residual: Boolean(def.residual),
      expansion: def.expansion ?? 1,
      layers: def.layers ?? 2,
      preActivation: def.preActivation ?? false,
      zeroInitHead: def.zeroInitHead ?? false,
      options: def.options,
      build: def.build,
    };
  },
});

/** Register a block under a new name (the public entry point for plugins). */
export const registerBlock = (def: BlockDefinition): RegisteredBlock =>
  blocks.register(def) as RegisteredBlock;

/** The block registered as `name`; a UserError listing the known blocks otherwise. */
export const getBlock = (name: string): RegisteredBlock => blocks.get(name) as RegisteredBlock;

export const hasBlock = (name: string): boolean => blocks.has(name);

export const listBlocks = (): RegisteredBlock[] => blocks.list() as RegisteredBlock[];
