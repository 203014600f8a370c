// Shared by the engine suites: run an op (and the gradient of sum(op * dy) w.r.t. each input) on
// one backend from fixed random inputs, and compare outputs by relative max error.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initEngine, silenceCpuBanner } from '../../src/engine/index.js';

export const TOLERANCE = 1e-4;

export type Input = { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' };
export type Op = (...xs: tf.Tensor[]) => tf.Tensor;

export function random(shape: number[], seed: string): Input {
  const rng = seedrandom(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = 2 * rng() - 1;
  return { shape, values };
}

/** Outputs of op, then (grads) the gradient w.r.t. every float input. */
export function run(backend: string, op: Op, inputs: Input[], grads: boolean): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype ?? 'float32'));
    const y = op(...xs);
    const outs = [y];
    if (grads) {
      const dy = tf.tensor(random(y.shape, 'dy').values, y.shape);
      const floatIdx = xs.map((x, i) => (x.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
      const g = tf.grads((...args: tf.Tensor[]) => {
        const all = xs.slice();
        floatIdx.forEach((k, j) => (all[k] = args[j]));
        return tf.sum(tf.mul(op(...all), dy));
      });
      outs.push(...g(floatIdx.map((k) => xs[k])));
    }
    return outs.map((t) => Float32Array.from(t.dataSync()));
  });
}

/** max |a - b| / max(|b|, 1): one number per output, so large values cannot hide errors. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

export function expectSameAsCpu(backend: string, op: Op, inputs: Input[], { grads = true } = {}): void {
  const expected = run('cpu', op, inputs, grads);
  const actual = run(backend, op, inputs, grads);
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.length).toBe(expected[i].length);
    expect(relativeError(a, expected[i])).toBeLessThanOrEqual(TOLERANCE);
  });
}

/**
 * Sets up a suite that checks wasm against cpu: wasm initialised (2 threads) for the ops under test,
 * cpu current for the references in between, and wasm current again after the suite.
 */
export function wasmAgainstCpu(): void {
  beforeAll(async () => {
    await initEngine({ backend: 'wasm', threads: 2, quiet: true });
    await tf.setBackend('cpu');
    silenceCpuBanner();
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });
}
