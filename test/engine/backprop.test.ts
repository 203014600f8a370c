// The releasing backward pass gives tf.variableGrads's gradients to the bit, holds less memory while it
// runs, leaks nothing, and refuses what tf.variableGrads refuses.
import * as tf from '@tensorflow/tfjs';
import { variableGradsReleasing } from '../../src/engine/backprop.js';
import { initEngine } from '../../src/engine/index.js';
import { buildModel } from '../../src/models/index.js';
import { tinyConfig } from '../train/helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu', quiet: true });
});

/** A residual net with batch norm (shared inputs, several outputs per kernel) and its loss on a batch. */
function lossOf(seed: number) {
  const model = buildModel(tinyConfig({ model: { depth: 8, width: 4 } }).model, [8, 8, 1], 10, seed);
  const x = tf.randomNormal([6, 8, 8, 1], 0, 1, 'float32', seed);
  const labels = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
  const loss = () =>
    tf.tidy(() => {
      const { logits } = model.forward(x, { training: true, tap: false });
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), logits) as tf.Scalar;
    });
  const variables = model.params.map((p) => p.variable);
  const trainable = variables.filter((v) => v.trainable).length;
  return { loss, variables, trainable, dispose: () => tf.dispose([x, labels, ...variables]) };
}

test('gradients and value equal tf.variableGrads bit for bit', () => {
  const { loss, variables, trainable, dispose } = lossOf(3);
  const expected = tf.variableGrads(loss, variables);
  const actual = variableGradsReleasing(loss, variables);
  expect(actual.value.dataSync()).toEqual(expected.value.dataSync());
  // tf.variableGrads names the non-trainable variables (moving statistics) with null gradients.
  const computed = Object.keys(expected.grads).filter((name) => expected.grads[name] != null);
  expect(Object.keys(actual.grads).sort()).toEqual(computed.sort());
  expect(computed.length).toBe(trainable);
  for (const name of computed) {
    expect(actual.grads[name].shape).toEqual(expected.grads[name].shape);
    expect(actual.grads[name].dataSync()).toEqual(expected.grads[name].dataSync());
  }
  tf.dispose([
    expected.value,
    actual.value,
    ...computed.map((n) => expected.grads[n]),
    ...Object.values(actual.grads),
  ]);
  dispose();
});

test('leaves no tensor behind but the value and the gradients', () => {
  const { loss, variables, trainable, dispose } = lossOf(4);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const { value, grads } = variableGradsReleasing(loss, variables);
    expect(tf.memory().numTensors).toBe(before + 1 + trainable);
    tf.dispose([value, ...Object.values(grads)]);
  }
  expect(tf.memory().numTensors).toBe(before);
  dispose();
});

test('has freed the later layers’ saved activations and gradients by the time the first layer’s gradient runs', () => {
  const { loss, variables, dispose } = lossOf(5);
  // An identity at the very start of the net whose gradient runs last and notes the bytes held then.
  let heldAtFirstLayer = 0;
  const noteBytes = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.clone(x as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => {
      heldAtFirstLayer = tf.memory().numBytes;
      return dy.clone();
    },
  }));
  const first = variables[0];
  // Recorded before the net, so first on the tape and last in the backward pass.
  const withProbe = () =>
    tf.tidy(() => {
      const probe = tf.sum(noteBytes(first));
      return tf.add(loss(), probe) as tf.Scalar;
    });
  const held = (grads: typeof variableGradsReleasing) => {
    const before = tf.memory().numBytes;
    const { value, grads: g } = grads(withProbe, variables);
    tf.dispose([value, ...Object.values(g).filter((t) => t != null)]);
    return heldAtFirstLayer - before;
  };
  const keeping = held(tf.variableGrads);
  const releasing = held(variableGradsReleasing);
  expect(releasing).toBeGreaterThan(0);
  expect(releasing).toBeLessThan(keeping / 2);
  dispose();
});

test('refuses a non-scalar value, and variables the value does not depend on', () => {
  const v = tf.variable(tf.ones([3]), true, 'backprop-test-v');
  const w = tf.variable(tf.ones([3]), true, 'backprop-test-w');
  expect(() => variableGradsReleasing(() => tf.mul(v, 2) as unknown as tf.Scalar, [v])).toThrow(/scalar/);
  expect(() => variableGradsReleasing(() => tf.sum(tf.mul(v, 2)), [w])).toThrow(/connected/);
  expect(() => variableGradsReleasing(() => tf.sum(v), [])).toThrow(/no trainable variable/);
  const { value, grads } = variableGradsReleasing(() => tf.sum(tf.mul(v, v)), [v, w]);
  expect(Object.keys(grads)).toEqual(['backprop-test-v']);
  expect(Array.from(grads['backprop-test-v'].dataSync())).toEqual([2, 2, 2]);
  tf.dispose([value, v, w, ...Object.values(grads)]);
});
