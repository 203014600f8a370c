// Shared test helpers: configs from partial objects, parameter counts, one backward pass.
import * as tf from '@tensorflow/tfjs';
import { ModelConfig } from '../../src/config/schema.js';
import type { Model } from '../../src/models/types.js';
import type { Trace } from '../../src/models/trace-types.js';

export const cfg = (partial: Partial<ModelConfig>): ModelConfig => ModelConfig.parse(partial);

export const trainableCount = (t: Trace) =>
  t.params.filter((p) => p.trainable).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
export const totalCount = (t: Trace) => t.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
export const modelTrainableCount = (m: Model) =>
  m.params.filter((p) => p.trainable).reduce((n, p) => n + p.variable.size, 0);

/** Gradients of a cross-entropy loss on random data for every trainable parameter, by param name. */
export function oneBackwardPass(model: Model, batch = 4): Map<string, Float32Array | null> {
  const trainable = model.params.filter((p) => p.trainable);
  const result = new Map<string, Float32Array | null>();
  tf.tidy(() => {
    const x = tf.randomNormal([batch, ...model.inputShape], 0, 1, 'float32', 7);
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => i % model.numClasses),
        'int32',
      ),
      model.numClasses,
    );
    const { grads } = tf.variableGrads(
      () => {
        const { logits } = model.forward(x, { training: true });
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      },
      trainable.map((p) => p.variable),
    );
    for (const p of trainable) {
      const g = grads[p.variable.name];
      result.set(p.name, g ? (g.dataSync() as Float32Array) : null);
    }
  });
  return result;
}
