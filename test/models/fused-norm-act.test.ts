// On a backend with the fused kernel, conv-norm-ReLU layers run batch norm + ReLU as one op in training
// steps that record no responses, with the gradients of the unfused layers; elsewhere nothing changes.
import * as tf from '@tensorflow/tfjs';
import { registerNativeBackend } from '../../src/engine/backends/native/register.js';
import { BATCH_NORM_KERNEL, BATCH_NORM_RELU_KERNEL } from '../../src/engine/batch_norm_training.js';
import { initEngine } from '../../src/engine/index.js';
import { buildModel } from '../../src/models/index.js';
import { disposeStep, forwardBackward } from '../../src/train/step.js';
import { tinyConfig } from '../train/helpers.js';

const load = await registerNativeBackend(2);
if (!load.ok) console.warn(`fused batch norm + ReLU suite skipped on native: ${load.reason}`);
const native = load.ok ? test : test.skip;

function setup(block: string) {
  const model = buildModel(tinyConfig({ model: { block, depth: 8, width: 4 } }).model, [8, 8, 1], 10, 7);
  const x = tf.randomNormal([6, 8, 8, 1], 0, 1, 'float32', 1);
  const labels = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
  const trainable = model.params.filter((p) => p.trainable);
  return { model, x, labels, trainable, dispose: () => (model.dispose(), tf.dispose([x, labels])) };
}

/** Kernel names run by one training step, and its gradients by parameter name. */
async function step(block: string, tap: boolean) {
  const s = setup(block);
  let grads = new Map<string, Float32Array>();
  const profile = await tf.profile(() => {
    const out = forwardBackward(s.model, s.x, s.labels, s.trainable, { tap });
    grads = new Map([...out.grads].map(([name, g]) => [name, Float32Array.from(g.dataSync())]));
    disposeStep(out);
  });
  s.dispose();
  const count = (name: string) => profile.kernels.filter((k) => k.name === name).length;
  return { count, grads };
}

native('a plain net fuses every norm + ReLU on native; recording responses turns it off', async () => {
  await tf.setBackend('native');
  const fused = await step('plain', false);
  // depth 8: the stem and 3 blocks of 2 layers, all conv-norm-ReLU.
  expect(fused.count(BATCH_NORM_RELU_KERNEL)).toBe(7);
  expect(fused.count(BATCH_NORM_KERNEL)).toBe(0);
  expect(fused.count('Relu')).toBe(0);
  const unfused = await step('plain', true);
  expect(unfused.count(BATCH_NORM_RELU_KERNEL)).toBe(0);
  expect(unfused.count(BATCH_NORM_KERNEL)).toBe(7);
  expect(unfused.count('Relu')).toBe(7);
  expect([...fused.grads.keys()].sort()).toEqual([...unfused.grads.keys()].sort());
  for (const [name, g] of fused.grads) {
    const ref = unfused.grads.get(name)!;
    const scale = Math.max(...ref.map(Math.abs), 1e-12);
    const diff = Math.max(...g.map((v, i) => Math.abs(v - ref[i])));
    expect(diff / scale).toBeLessThan(1e-5);
  }
});

native('a basic block fuses its first layer only: its second ReLU follows the addition', async () => {
  await tf.setBackend('native');
  const { count } = await step('basic', false);
  expect(count(BATCH_NORM_RELU_KERNEL)).toBe(4); // the stem and each block's first layer
  expect(count(BATCH_NORM_KERNEL)).toBe(3);
  expect(count('Relu')).toBe(3);
});

test('the cpu backend has no fused kernel and runs norm and ReLU apart', async () => {
  await initEngine({ backend: 'cpu', quiet: true });
  const { count } = await step('plain', false);
  expect(count(BATCH_NORM_RELU_KERNEL)).toBe(0);
  expect(count('Relu')).toBe(7);
});
