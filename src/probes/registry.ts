// Probes are per-layer statistics, in a registry like blocks so a plugin can add one.
// A probe turns the step's tensors into one [numLayers] vector per stat; the prober stacks every
// probe's vectors and reads them back in a single transfer.
import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../ground/registry.js';
import type { LayerInfo } from '../models/types.js';
import { builtinProbes } from './builtin.js';

export interface ProbeInputs {
  layers: LayerInfo[];
  /** Gradient of each layer's kernel (same order as layers). */
  kernelGrads: tf.Tensor[];
  /** Each layer's kernel, as it is when the probe runs (after the update for 'after-update'). */
  kernels: tf.Tensor[];
  /** Kernels as they were before this step's update ('after-update' probes only). */
  kernelsBefore: tf.Tensor[];
  /** Kernels at the start of the run: the initialisation, or the pretrained weights when transferring. */
  kernelsInitial: tf.Tensor[];
  /** Pre-activation response per layer name, and post-ReLU activation, from the step's forward pass. */
  responses: Map<string, tf.Tensor>;
  activations: Map<string, tf.Tensor>;
}

export interface ProbeDefinition {
  name: string;
  description: string;
  stats: string[];
  /** 'before-update' sees this step's gradient; 'after-update' also sees the weights before and after it. */
  phase: 'before-update' | 'after-update';
  needsTaps?: boolean;
  /** One [numLayers] tensor per stat, in `stats` order; NaN where a layer has no value. */
  compute(inputs: ProbeInputs): tf.Tensor1D[];
}

const probes = createRegistry<ProbeDefinition>('probe', {
  builtins: () => [{ file: 'src/probes/builtin.ts', items: builtinProbes }],
});

/** Register a probe under a new name (plugins: gradflow.registerProbe). */
export const registerProbe = (def: ProbeDefinition): ProbeDefinition => probes.register(def);
export const getProbe = (name: string): ProbeDefinition => probes.get(name);
export const listProbes = (): ProbeDefinition[] => probes.list();
