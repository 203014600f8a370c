// What a probe is: a per-layer statistic that turns the step's tensors into one [numLayers] vector
// per stat; the prober stacks every probe's vectors and reads them back in a single transfer.
import type * as tf from '@tensorflow/tfjs';
import type { LayerInfo } from '../models/types.js';

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
