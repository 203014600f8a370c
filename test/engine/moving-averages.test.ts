// Batch norm's moving statistics in one kernel give the same bits as the tf ops they replace, on every
// backend, and a training forward pass updates the model's statistics through it.
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../src/engine/index.js';
import { MOVING_AVERAGES_KERNEL, movingAveragesStep } from '../../src/engine/moving_averages.js';
import { buildModel } from '../../src/models/index.js';
import { tinyConfig } from '../train/helpers.js';
import { useBackend } from './use-backend.js';

const momentum = 0.9;

function channels(salt: number, positive = false): Float32Array {
  return Float32Array.from({ length: 37 }, (_, i) => {
    const x = Math.sin(i * 0.71 + salt) * (1 + salt);
    return positive ? Math.abs(x) + 0.01 : x;
  });
}

/** The update as the tf ops the model ran before the kernel. */
function reference(m: tf.Tensor, v: tf.Tensor, bm: tf.Tensor, bv: tf.Tensor, n: number) {
  return tf.tidy(() => {
    const unbiased = n > 1 ? tf.mul(bv, n / (n - 1)) : bv;
    return [
      tf.add(tf.mul(m, momentum), tf.mul(bm, 1 - momentum)),
      tf.add(tf.mul(v, momentum), tf.mul(unbiased, 1 - momentum)),
    ];
  });
}

test.each(['cpu', 'wasm', 'native'] as const)(
  'on %s the kernel equals the tf ops bit for bit',
  async (name) => {
    if (!(await useBackend(name))) return;
    expect(tf.getKernel(MOVING_AVERAGES_KERNEL, name)).toBeDefined();
    const [m, v, bm, bv] = [channels(1), channels(2, true), channels(3), channels(4, true)].map((a) =>
      tf.tensor1d(a),
    );
    const before = tf.memory().numTensors;
    for (const n of [1, 6, 128 * 28 * 28]) {
      const [nm, nv] = movingAveragesStep(m, v, bm, bv, { momentum, unbias: n > 1 ? n / (n - 1) : 1 });
      const [rm, rv] = reference(m, v, bm, bv, n);
      expect(Array.from(nm.dataSync())).toEqual(Array.from(rm.dataSync()));
      expect(Array.from(nv.dataSync())).toEqual(Array.from(rv.dataSync()));
      tf.dispose([nm, nv, rm, rv]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([m, v, bm, bv]);
  },
);

test('a training forward pass moves the statistics through the kernel, as the tf ops would', async () => {
  await initEngine({ backend: 'cpu', quiet: true });
  const statistics = (viaKernel: boolean) => {
    const kernel = tf.getKernel(MOVING_AVERAGES_KERNEL, 'cpu')!;
    if (!viaKernel) tf.unregisterKernel(MOVING_AVERAGES_KERNEL, 'cpu');
    try {
      const model = buildModel(tinyConfig({ model: { depth: 8, width: 4 } }).model, [8, 8, 1], 10, 2);
      const x = tf.randomNormal([5, 8, 8, 1], 0, 1, 'float32', 3);
      for (let i = 0; i < 2; i++) tf.tidy(() => void model.forward(x, { training: true }));
      const stats = model.params
        .filter((p) => p.name.includes('moving_'))
        .map((p) => [p.name, Array.from(p.variable.dataSync())] as const);
      model.dispose();
      x.dispose();
      return stats;
    } finally {
      if (!viaKernel) tf.registerKernel(kernel);
    }
  };
  const fused = statistics(true);
  expect(fused.length).toBe(14); // mean and variance of 7 batch norms
  expect(fused).toEqual(statistics(false));
  expect(fused.find(([name]) => name === 'stem.bn.moving_mean')![1].some((v) => v !== 0)).toBe(true);
});
