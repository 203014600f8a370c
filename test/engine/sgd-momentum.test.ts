// The fused SGD update (one kernel per parameter) gives the same bits as the six tf ops it replaces,
// on every backend that has it, and the optimiser uses it there.
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../src/engine/index.js';
import { hasSgdMomentumKernel, sgdMomentumStep } from '../../src/engine/sgd_momentum.js';
import { Sgd } from '../../src/train/optimizers.js';
import { useBackend } from './use-backend.js';

const attrs = { lr: 0.1, momentum: 0.9, weightDecay: 1e-4 };

function inputs(n: number) {
  const values = (salt: number) =>
    Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + salt) * (1 + salt));
  return [values(1), values(2), values(3)];
}

/** The update as tf ops, in the order the optimiser ran them before the kernel. */
function reference(w: tf.Tensor, v: tf.Tensor, g: tf.Tensor) {
  return tf.tidy(() => {
    const gd = tf.add(g, tf.mul(w, attrs.weightDecay));
    const nv = tf.add(tf.mul(v, attrs.momentum), gd);
    return [tf.sub(w, tf.mul(nv, attrs.lr)), nv];
  });
}

const backends = ['cpu', 'wasm', 'native'] as const;

test.each(backends)('on %s the kernel equals the tf ops bit for bit', async (name) => {
  if (!(await useBackend(name))) return;
  expect(hasSgdMomentumKernel()).toBe(true);
  const [w, v, g] = inputs(1000).map((a) => tf.tensor(a, [10, 100]));
  const before = tf.memory().numTensors;
  const [nw, nv] = sgdMomentumStep(w, v, g, attrs);
  const [rw, rv] = reference(w, v, g);
  expect(Array.from(nw.dataSync())).toEqual(Array.from(rw.dataSync()));
  expect(Array.from(nv.dataSync())).toEqual(Array.from(rv.dataSync()));
  expect(nw.shape).toEqual([10, 100]);
  tf.dispose([nw, nv, rw, rv]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([w, v, g]);
});

test('the optimiser through the kernel matches the optimiser through tf ops, step after step', async () => {
  await initEngine({ backend: 'cpu', quiet: true });
  const run = async (fused: boolean) => {
    const kernel = tf.getKernel('GradflowSgdMomentum', 'cpu')!;
    if (!fused) tf.unregisterKernel('GradflowSgdMomentum', 'cpu');
    try {
      const [w0, , g0] = inputs(64);
      const w = tf.variable(tf.tensor(w0, [8, 8]));
      const opt = new Sgd(0.9, 5e-4);
      for (let step = 0; step < 3; step++) {
        const g = tf.tensor(
          g0.map((x) => x * (step + 1)),
          [8, 8],
        );
        opt.apply(new Map([['w', w]]), { w: g }, 0.05);
        g.dispose();
      }
      const out = Array.from(w.dataSync());
      const momentum = Array.from((await opt.slots()).find((s) => s.name === 'w/momentum')!.data);
      opt.dispose();
      w.dispose();
      return { out, momentum };
    } finally {
      if (!fused) tf.registerKernel(kernel);
    }
  };
  const fused = await run(true);
  expect(fused).toEqual(await run(false));
  expect(fused.out.some((x, i) => x !== inputs(64)[0][i])).toBe(true);
});
