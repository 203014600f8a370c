// Every extension point of gradflow is a registry of named things (blocks, model families,
// datasets): register, get, has, list; each entry tagged with where it came from; a clear error for
// an unknown or duplicate name. Registrations made while a plugin file loads are tagged with that
// file (withRegistrationSource), and a plugin that fails half-way is taken out of every registry.
import { UserError } from './errors.js';

export type Registered<T> = T & { source: string };

export interface Registry<T extends { name: string }> {
  readonly kind: string;
  register(def: T): Registered<T>;
  get(name: string): Registered<T>;
  has(name: string): boolean;
  list(): Registered<T>[];
  names(): string[];
}

interface Shared {
  loadingSource: string | null;
  /** Every registry's entries by kind, so one plugin's registrations can be removed everywhere. */
  tables: Map<string, Map<string, Registered<{ name: string }>>>;
}

// On globalThis: a plugin that imports gradflow through another path (dist vs source, a second
// copy) still registers into the same tables.
const KEY = Symbol.for('gradflow-lab.registries');
const slot = globalThis as unknown as Record<symbol, Shared | undefined>;
const shared: Shared = (slot[KEY] ??= { loadingSource: null, tables: new Map() });

const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

export interface RegistryOptions<T> {
  /** Built-ins, registered on first use: the file each comes from and its definitions. */
  builtins?: () => { file: string; items: T[] }[];
  /** Refuses a malformed definition (a UserError naming `source`) and fills in its defaults. */
  normalize?: (def: T, source: string) => T;
  /** For messages: 'model families' (default: kind + 's'). */
  plural?: string;
}

export function createRegistry<T extends { name: string }>(
  kind: string,
  options: RegistryOptions<T> = {},
): Registry<T> {
  let table = shared.tables.get(kind) as Map<string, Registered<T>> | undefined;
  if (!table) {
    table = new Map();
    shared.tables.set(kind, table as Map<string, Registered<{ name: string }>>);
  }
  const entries = table;
  let builtinsLoaded = false;

  const add = (def: T, source: string): Registered<T> => {
    if (!def || typeof def.name !== 'string' || !NAME.test(def.name)) {
      throw new UserError(
        `register ${kind} (${source}): name must be letters, digits, '-' or '_', got ${JSON.stringify(def?.name)}`,
      );
    }
    const existing = entries.get(def.name);
    if (existing) {
      throw new UserError(
        `${kind} "${def.name}" from ${source} is already registered by ${existing.source}; choose another name`,
      );
    }
    const entry = { ...(options.normalize ? options.normalize(def, source) : def), source };
    entries.set(def.name, entry);
    return entry;
  };
  const ensureBuiltins = (): void => {
    if (builtinsLoaded) return;
    builtinsLoaded = true;
    for (const { file, items } of options.builtins?.() ?? []) {
      for (const def of items) if (!entries.has(def.name)) add(def, `built-in (${file})`);
    }
  };

  return {
    kind,
    register: (def) => {
      ensureBuiltins();
      return add(def, shared.loadingSource ?? `register ${kind} call`);
    },
    get: (name) => {
      ensureBuiltins();
      const entry = entries.get(name);
      if (!entry) {
        throw new UserError(
          `unknown ${kind} "${name}"; registered ${options.plural ?? `${kind}s`}: ${[...entries.keys()].join(', ')}`,
        );
      }
      return entry;
    },
    has: (name) => {
      ensureBuiltins();
      return entries.has(name);
    },
    list: () => {
      ensureBuiltins();
      return [...entries.values()];
    },
    names: () => {
      ensureBuiltins();
      return [...entries.keys()];
    },
  };
}

/** Tag every registration made while `load` runs with `source` (the plugin loader's file). */
export async function withRegistrationSource<R>(source: string, load: () => Promise<R>): Promise<R> {
  const previous = shared.loadingSource;
  shared.loadingSource = source;
  try {
    return await load();
  } finally {
    shared.loadingSource = previous;
  }
}

/** Remove everything a source registered, in every registry (a failed or re-loaded plugin). */
export function unregisterSource(source: string): void {
  for (const table of shared.tables.values()) {
    for (const [name, entry] of table) if (entry.source === source) table.delete(name);
  }
}

/** What a source registered, in every registry: [kind, name] pairs. */
export function registeredBy(source: string): [kind: string, name: string][] {
  const out: [string, string][] = [];
  for (const [kind, table] of shared.tables) {
    for (const entry of table.values()) if (entry.source === source) out.push([kind, entry.name]);
  }
  return out;
}
