// The one place the model builders find blocks. Built-in blocks register on first use; plugins
// register while src/plugins.ts imports them, which tags each block with its source file.
import { UserError } from '../ground/errors.js';
import { builtinBlocks } from './builtin.js';
import type { BlockDefinition, RegisteredBlock } from './types.js';

interface RegistryState {
  blocks: Map<string, RegisteredBlock>;
  builtinsLoaded: boolean;
  /** Source to tag registrations with while a plugin file is being loaded. */
  loadingSource: string | null;
}

// Kept on globalThis so that a plugin which imports gradflow through another path (dist vs
// source, a second copy) still registers into the same table.
const KEY = Symbol.for('gradflow-lab.block-registry');
const globalSlot = globalThis as unknown as Record<symbol, RegistryState | undefined>;
const state: RegistryState = (globalSlot[KEY] ??= {
  blocks: new Map(),
  builtinsLoaded: false,
  loadingSource: null,
});

function ensureBuiltins(): void {
  if (state.builtinsLoaded) return;
  state.builtinsLoaded = true;
  for (const { file, blocks } of builtinBlocks) {
    for (const def of blocks) add(def, `built-in (${file})`);
  }
}

function add(def: BlockDefinition, source: string): RegisteredBlock {
  if (!def || typeof def.name !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/i.test(def.name)) {
    throw new UserError(
      `registerBlock (${source}): name must be letters, digits, '-' or '_', got ${JSON.stringify(def?.name)}`,
    );
  }
  if (typeof def.build !== 'function') {
    throw new UserError(`registerBlock (${source}): block "${def.name}" has no build(x, ctx, args) function`);
  }
  const existing = state.blocks.get(def.name);
  if (existing) {
    throw new UserError(
      `block "${def.name}" from ${source} is already registered by ${existing.source}; choose another name`,
    );
  }
  const block: RegisteredBlock = {
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
    source,
  };
  state.blocks.set(def.name, block);
  return block;
}

/** Register a block under a new name (the public entry point for plugins). */
export function registerBlock(def: BlockDefinition): RegisteredBlock {
  ensureBuiltins();
  return add(def, state.loadingSource ?? 'registerBlock() call');
}

/** The block registered as `name`; a UserError listing the known blocks otherwise. */
export function getBlock(name: string): RegisteredBlock {
  ensureBuiltins();
  const block = state.blocks.get(name);
  if (!block) {
    throw new UserError(`unknown block "${name}"; registered blocks: ${[...state.blocks.keys()].join(', ')}`);
  }
  return block;
}

export function hasBlock(name: string): boolean {
  ensureBuiltins();
  return state.blocks.has(name);
}

export function listBlocks(): RegisteredBlock[] {
  ensureBuiltins();
  return [...state.blocks.values()];
}

/** Tag every registration made while `load` runs with `source` (used by the plugin loader). */
export async function withRegistrationSource<T>(source: string, load: () => Promise<T>): Promise<T> {
  const previous = state.loadingSource;
  state.loadingSource = source;
  try {
    return await load();
  } finally {
    state.loadingSource = previous;
  }
}

/** Remove blocks registered from a source (tests, and re-loading an edited plugin). */
export function unregisterSource(source: string): void {
  for (const [name, block] of state.blocks) if (block.source === source) state.blocks.delete(name);
}
