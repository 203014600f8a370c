// The native backend's loading contract and end-to-end training parity with the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../src/engine/index.js';
import seedrandom from 'seedrandom';
import { registerNativeBackend } from '../../src/engine/backends/native/register.js';
import { batchNormTrainingKernel } from '../../src/engine/batch_norm_training.js';

describe('registerNativeBackend', () => {
  it('reports the addon as hidden when GRADFLOW_NO_NATIVE is set', async () => {
    process.env.GRADFLOW_NO_NATIVE = '1';
    try {
      expect(await registerNativeBackend(1)).toEqual({
        ok: false,
        reason: 'hidden by GRADFLOW_NO_NATIVE',
        hidden: true,
      });
    } finally {
      delete process.env.GRADFLOW_NO_NATIVE;
    }
  });

  it('rejects a thread count that is not a positive integer, naming it', async () => {
    const load = await registerNativeBackend(0);
    expect(load).toEqual({ ok: false, reason: 'threads must be a positive integer, got 0' });
  });
});

const load = await registerNativeBackend(2);
if (!load.ok) console.warn(`native training parity skipped: ${load.reason}`);
const suite = load.ok ? describe : describe.skip;

suite('native backend training', () => {
  afterAll(() => {
    tf.setBackend('cpu');
  });

  it('reports the oneDNN version and the thread count it set', () => {
    expect(load).toEqual({ ok: true, version: expect.stringMatching(/^oneDNN \d+\.\d+\.\d+$/), threads: 2 });
  });

  // A small conv net (conv-BN-ReLU, strided conv, residual add, pooling, dense) for 20 SGD steps.
  function lossCurve(backend: string): number[] {
    tf.setBackend(backend);
    const rng = seedrandom('parity');
    const init = (shape: number[], scale: number) =>
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (2 * rng() - 1) * scale),
        shape,
      );
    const w1 = tf.variable(init([3, 3, 2, 4], 0.3));
    const w2 = tf.variable(init([3, 3, 4, 4], 0.2));
    const gamma = tf.variable(tf.ones([4]));
    const beta = tf.variable(tf.zeros([4]));
    const dense = tf.variable(init([4, 3], 0.3));
    const x = init([4, 6, 6, 2], 1);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    const bn = (h: tf.Tensor) =>
      backend === 'native'
        ? batchNormTrainingKernel(h, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-3).y
        : tf.add(
            tf.mul(
              tf.div(
                tf.sub(h, tf.moments(h, [0, 1, 2]).mean),
                tf.sqrt(tf.add(tf.moments(h, [0, 1, 2]).variance, 1e-3)),
              ),
              gamma,
            ),
            beta,
          );
    const optimizer = tf.train.momentum(0.05, 0.9);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const loss = optimizer.minimize(() => {
        const h1 = tf.relu(bn(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same')));
        const h2 = tf.relu(tf.add(tf.conv2d(h1 as tf.Tensor4D, w2 as tf.Tensor4D, 1, 'same'), h1));
        const pooled = tf.mean(tf.maxPool(h2 as tf.Tensor4D, 2, 2, 'same'), [1, 2]);
        return tf.losses.softmaxCrossEntropy(labels, tf.matMul(pooled, dense)) as tf.Scalar;
      }, true);
      losses.push(loss!.dataSync()[0]);
      loss!.dispose();
    }
    optimizer.dispose();
    tf.dispose([w1, w2, gamma, beta, dense, x, labels]);
    return losses;
  }

  it('trains to the same loss curve on native as on wasm over 20 steps (same seed)', async () => {
    await initEngine({ backend: 'wasm', threads: 1, quiet: true });
    const wasm = lossCurve('wasm');
    const native = lossCurve('native');
    expect(wasm[19]).toBeLessThan(wasm[0]);
    native.forEach((loss, i) =>
      expect(Math.abs(loss - wasm[i])).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(wasm[i]))),
    );
  });

  it('trains to the same loss curve as the cpu backend over 20 steps', () => {
    const cpu = lossCurve('cpu');
    const native = lossCurve('native');
    expect(cpu[19]).toBeLessThan(cpu[0]); // it does learn, so the comparison means something
    native.forEach((loss, i) =>
      expect(Math.abs(loss - cpu[i])).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(cpu[i]))),
    );
  });
});
