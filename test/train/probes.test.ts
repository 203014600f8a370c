// Probe values against an independent computation on a small net: per-layer gradients from
// tf.variableGrads on each kernel alone, response statistics from the tapped tensors' raw values,
// and the update ratio from the weights read before and after a plain SGD step.
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../src/engine/index.js';
import { buildModel } from '../../src/models/index.js';
import { Prober } from '../../src/probes/prober.js';
import { lossAndError, disposeStep, forwardBackward } from '../../src/train/step.js';
import { tinyConfig } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const l2 = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-4 * Math.max(1e-6, Math.abs(b)));

test('prober statistics equal an independent per-layer computation', async () => {
  const cfg = tinyConfig();
  const model = buildModel(cfg.model, [8, 8, 1], 10, 3);
  const x = tf.randomNormal([6, 8, 8, 1], 0, 1, 'float32', 7);
  const y = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
  const kernels = model.layers.map((l) => model.params.find((p) => p.name === l.kernel)!.variable);
  const before = kernels.map((k) => k.dataSync().slice());

  // independent gradients, one kernel at a time
  const expectedGrad = kernels.map((k) => {
    const { value, grads } = tf.variableGrads(
      () => lossAndError(model.forward(x, { training: true }).logits as tf.Tensor2D, y, 10).loss,
      [k],
    );
    const n = l2(Object.values(grads)[0].dataSync());
    tf.dispose([value, ...Object.values(grads)]);
    return n;
  });

  const trainable = model.params.filter((p) => p.trainable);
  const out = forwardBackward(model, x, y, trainable, { tap: true });
  const expectedStd = model.layers.map((l) => {
    const r = out.responses.get(l.name);
    if (!r) return NaN;
    const v = Array.from(r.dataSync());
    const mean = v.reduce((s, a) => s + a, 0) / v.length;
    return Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length);
  });
  const prober = new Prober(model.layers);
  const initial = kernels.map((k) => tf.clone(k));
  prober.beforeUpdate({
    kernelGrads: model.layers.map((l) => out.grads.get(l.kernel)!),
    kernels,
    kernelsInitial: initial,
    responses: out.responses,
    activations: out.activations,
  });
  const lr = 0.1;
  for (const p of trainable) p.variable.assign(tf.sub(p.variable, tf.mul(out.grads.get(p.name)!, lr)));
  const rows = await prober.afterUpdate(0, kernels);
  disposeStep(out);

  const stat = (name: string, layer: string) => rows.find((r) => r.stat === name && r.layer === layer)?.value;
  model.layers.forEach((l, i) => {
    close(stat('grad_norm', l.name)!, expectedGrad[i]);
    close(stat('weight_norm', l.name)!, l2(before[i]));
    close(stat('grad_weight_ratio', l.name)!, expectedGrad[i] / l2(before[i]));
    const after = kernels[i].dataSync();
    close(stat('update_ratio', l.name)!, l2(after.map((v, j) => v - before[i][j])) / l2(before[i]));
    // one step from the start: the drift from W0 is that same update
    close(stat('weight_drift', l.name)!, l2(after.map((v, j) => v - before[i][j])) / l2(before[i]));
    if (!Number.isNaN(expectedStd[i])) close(stat('response_std', l.name)!, expectedStd[i]);
  });
  // every conv has a tapped response; depth indices run 1..n from the input
  expect(rows.filter((r) => r.stat === 'response_std').length).toBeGreaterThanOrEqual(
    model.layers.length - 1,
  );
  expect(model.layers.map((l) => l.depthIndex)).toEqual(model.layers.map((_, i) => i + 1));
  tf.dispose([x, y, ...initial]);
  model.dispose();
});
