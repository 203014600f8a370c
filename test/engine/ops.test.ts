// gradflow's building-block ops (src/engine/ops.ts) on wasm, where batch norm is one kernel each
// way, against the tf-op formulation on cpu: values, batch statistics and gradients.
import * as tf from '@tensorflow/tfjs';
import { batchNorm, padChannels, subsample2 } from '../../src/engine/ops.js';
import { expectSameAsCpu, random, run, relativeError, TOLERANCE, wasmAgainstCpu } from './compare.js';

wasmAgainstCpu();

/** Reference training-mode batch norm from plain tf ops (tf.moments, biased variance). */
function referenceBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor[] {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
  return [y, mean, variance];
}

describe.each([[[3, 5, 6, 4]], [[1, 7, 7, 3]], [[16, 8]]])('batchNorm on shape %p', (shape) => {
  const c = shape[shape.length - 1];
  const x = random(shape, `bn${shape}`);
  // Shift the data so the mean is far from zero: the variance must not lose precision.
  x.values = (x.values as Float32Array).map((v, i) => 3 * v + 5 + (i % c));
  const gamma = random([c], 'gamma');
  const beta = random([c], 'beta');

  test('y and its gradients (x, gamma, beta) match the tf-op reference on cpu', () => {
    const expected = run('cpu', (a, g, b) => referenceBatchNorm(a, g, b, 1e-3)[0], [x, gamma, beta], true);
    for (const backend of ['cpu', 'wasm']) {
      const actual = run(
        backend,
        (a, g, b) => batchNorm(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).y,
        [x, gamma, beta],
        true,
      );
      expect(actual).toHaveLength(4);
      actual.forEach((a, i) => expect(relativeError(a, expected[i])).toBeLessThanOrEqual(TOLERANCE));
    }
  });

  test('returns the batch mean and biased variance', () => {
    for (const backend of ['cpu', 'wasm']) {
      tf.setBackend(backend);
      const [mean, variance, refMean, refVariance] = tf.tidy(() => {
        const xt = tf.tensor(x.values, shape);
        const r = batchNorm(
          xt,
          tf.tensor1d(gamma.values as Float32Array),
          tf.tensor1d(beta.values as Float32Array),
          1e-3,
        );
        const [, m, v] = referenceBatchNorm(xt, tf.ones([c]), tf.zeros([c]), 1e-3);
        return [r.mean, r.variance, m, v].map((t) => Float32Array.from(t.dataSync()));
      });
      expect(mean).toHaveLength(c);
      expect(relativeError(mean, refMean)).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(variance, refVariance)).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});

test('batchNorm rejects gamma/beta of the wrong length', () => {
  tf.setBackend('wasm');
  tf.tidy(() => {
    expect(() =>
      batchNorm(tf.zeros([2, 3]), tf.ones([4]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D, 1e-5),
    ).toThrow(/gamma\/beta have 4\/3 entries, the input's last axis has 3/);
  });
});

test('batchNorm leaves no tensors behind across training steps', () => {
  tf.setBackend('wasm');
  const x = tf.randomNormal([4, 5, 5, 3]);
  const gamma = tf.variable(tf.ones([3])) as tf.Variable<tf.Rank.R1>;
  const beta = tf.variable(tf.zeros([3])) as tf.Variable<tf.Rank.R1>;
  const stepOnce = () =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.square(batchNorm(x, gamma, beta, 1e-5).y)),
        [gamma, beta],
      );
      gamma.assign(tf.sub(gamma, tf.mul(grads[gamma.name], 0.01)));
    });
  stepOnce();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) stepOnce();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, gamma, beta]);
});

describe.each([[[2, 8, 8, 3]], [[1, 7, 9, 2]]])('subsample2 on shape %p', (shape) => {
  test('equals x[:, ::2, ::2, :] with the same gradient as strided slicing, on cpu and wasm', () => {
    const x = random(shape, `sub${shape}`);
    const reference = (a: tf.Tensor) => tf.stridedSlice(a, [0, 0, 0, 0], shape, [1, 2, 2, 1]);
    const expected = run('cpu', reference, [x], true);
    expect(expected[0]).toHaveLength(shape[0] * Math.ceil(shape[1] / 2) * Math.ceil(shape[2] / 2) * shape[3]);
    for (const backend of ['cpu', 'wasm']) {
      const actual = run(backend, (a) => subsample2(a as tf.Tensor4D), [x], true);
      actual.forEach((a, i) => expect(relativeError(a, expected[i])).toBeLessThanOrEqual(TOLERANCE));
    }
  });
});

test('padChannels zero-pads the last axis and passes gradients to the original channels only', () => {
  const x = random([2, 3, 3, 4], 'pad');
  const op = (a: tf.Tensor) => padChannels(a as tf.Tensor4D, 2, 3);
  const [y, dx] = run('wasm', op, [x], true);
  expect(y).toHaveLength(2 * 3 * 3 * 9);
  for (let p = 0; p < 18; p++) {
    expect(Array.from(y.slice(p * 9, p * 9 + 2))).toEqual([0, 0]);
    expect(Array.from(y.slice(p * 9 + 6, p * 9 + 9))).toEqual([0, 0, 0]);
    expect(Array.from(y.slice(p * 9 + 2, p * 9 + 6))).toEqual(Array.from(x.values.slice(p * 4, p * 4 + 4)));
  }
  expect(dx).toHaveLength(x.values.length);
  expectSameAsCpu('wasm', op, [x]);
  expect(() => padChannels(tf.zeros([1, 1, 1, 1]) as tf.Tensor4D, -1, 0)).toThrow(/non-negative integers/);
});
