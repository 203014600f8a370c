// One optimisation step's forward and backward pass: softmax cross-entropy loss, batch error,
// gradients of the trainable parameters, and (on probe steps) the tapped layer responses - all
// from a single forward pass.
import * as tf from '@tensorflow/tfjs';
import { variableGradsReleasing } from '../engine/backprop.js';
import type { ForwardOptions, Model, ParamInfo } from '../models/types.js';

export interface StepOutput {
  loss: tf.Scalar;
  error: tf.Scalar;
  grads: Map<string, tf.Tensor>; // parameter name -> gradient
  responses: Map<string, tf.Tensor>;
  activations: Map<string, tf.Tensor>;
}

export function lossAndError(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  numClasses: number,
): { loss: tf.Scalar; error: tf.Scalar } {
  return tf.tidy(() => ({
    loss: tf.losses.softmaxCrossEntropy(tf.oneHot(labels, numClasses), logits) as tf.Scalar,
    error: tf.mean(tf.cast(tf.notEqual(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar,
  }));
}

/**
 * Caller owns every returned tensor (dispose with disposeStep). `frozenNorms` names norm layers that
 * must use their moving statistics even in training, `frozenStages` stages whose dropout is off
 * (frozen parts during transfer).
 */
export function forwardBackward(
  model: Model,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  trainable: ParamInfo[],
  opts: { tap: boolean } & Pick<ForwardOptions, 'frozenNorms' | 'frozenStages' | 'dropoutSeed'>,
): StepOutput {
  let error: tf.Scalar | null = null;
  const responses = new Map<string, tf.Tensor>();
  const activations = new Map<string, tf.Tensor>();
  const { value, grads } = variableGradsReleasing(
    () => {
      const out = model.forward(x, {
        training: true,
        tap: opts.tap,
        frozenNorms: opts.frozenNorms,
        frozenStages: opts.frozenStages,
        dropoutSeed: opts.dropoutSeed,
      });
      const { loss, error: err } = lossAndError(out.logits, labels, model.numClasses);
      // The forward pass disposes everything made inside but its result; keep what the step reports.
      error = tf.keep(err);
      for (const [k, t] of out.responses) responses.set(k, tf.keep(t));
      for (const [k, t] of out.activations) activations.set(k, tf.keep(t));
      return loss;
    },
    trainable.map((p) => p.variable),
  );
  const byName = new Map(trainable.map((p) => [p.variable.name, p.name]));
  const named = new Map<string, tf.Tensor>();
  for (const [varName, g] of Object.entries(grads)) named.set(byName.get(varName)!, g);
  return { loss: value, error: error!, grads: named, responses, activations };
}

export function disposeStep(out: StepOutput): void {
  tf.dispose([
    out.loss,
    out.error,
    ...out.grads.values(),
    ...out.responses.values(),
    ...out.activations.values(),
  ]);
}
