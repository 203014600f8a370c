// Probes are per-layer statistics, in a registry like blocks so a plugin can add one; the built-ins
// come from their list (builtin.ts), registered on first use.
import { createRegistry } from '../ground/registry.js';
import { builtinProbes } from './builtin.js';
import type { ProbeDefinition } from './types.js';

export type { ProbeDefinition, ProbeInputs } from './types.js';

const probes = createRegistry<ProbeDefinition>('probe', {
  builtins: () => [{ file: 'src/probes/builtin.ts', items: builtinProbes }],
});

/** Register a probe under a new name (plugins: gradflow.registerProbe). */
export const registerProbe = (def: ProbeDefinition): ProbeDefinition => probes.register(def);
export const getProbe = (name: string): ProbeDefinition => probes.get(name);
export const listProbes = (): ProbeDefinition[] => probes.list();
