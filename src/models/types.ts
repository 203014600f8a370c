// What a built network offers the rest of gradflow (trainer, probes, checkpoints, analyzer).
import type * as tf from '@tensorflow/tfjs';

/** One weight-bearing layer (conv or dense), in order from input to output. */
export interface LayerInfo {
  name: string; // stable dotted name, e.g. stage2.block3.conv1
  /** conv | dense on the main path; shortcut: a projection beside it (not counted in depthIndex). */
  kind: 'conv' | 'dense' | 'shortcut';
  depthIndex: number; // 1 = stem, counted along the main path from the input
  kernel: string; // name of its weight parameter, e.g. stage2.block3.conv1.kernel
}

export interface ParamInfo {
  name: string; // e.g. stage2.block3.bn1.gamma
  shape: number[];
  trainable: boolean; // false for batch-norm moving statistics
  layer: string; // owning layer name (conv/dense/norm/scalar), e.g. stage2.block3.bn1
  depthIndex: number; // depth index of the nearest weight-bearing layer at or before it
  variable: tf.Variable;
}

export interface ForwardOptions {
  training: boolean;
  /**
   * Record each weight-bearing layer's response (after its norm, before the nonlinearity or the
   * residual addition: He et al. 2015 Fig. 7) and the post-activation output used for dead-ReLU
   * counts, keyed by layer name. Taps are taken from the same forward pass.
   */
  tap?: boolean;
  /** Parameters whose batch-norm layers must run in inference mode even when training (frozen parts). */
  frozenNorms?: ReadonlySet<string>;
  /** Stages (first name segment) whose dropout is off even when training (a frozen body). */
  frozenStages?: ReadonlySet<string>;
  /** Seed of this pass's dropout masks (each dropout layer offsets it), so runs repeat exactly. */
  dropoutSeed?: number;
}

export interface ForwardResult {
  logits: tf.Tensor2D;
  responses: Map<string, tf.Tensor>; // layer name -> pre-activation response (only when tap)
  activations: Map<string, tf.Tensor>; // layer name -> post-ReLU output (only when tap and ReLU follows)
}

export interface Model {
  name: string; // e.g. cifar-basic-d20
  residual: boolean;
  inputShape: number[]; // per example, NHWC without batch, or [features]
  numClasses: number;
  params: ParamInfo[];
  layers: LayerInfo[];
  forward(x: tf.Tensor, opts: ForwardOptions): ForwardResult;
  dispose(): void;
}
