// Finite-difference check of a tiny conv + batch-norm + dense net's gradients on the backend
// initEngine selects here, and on wasm and cpu: analytic gradients (tf.variableGrads) must match
// central differences of the loss.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initEngine, listBackends, silenceCpuBanner } from '../../src/engine/index.js';
import { batchNorm } from '../../src/engine/ops.js';

let selected = '';

beforeAll(async () => {
  selected = (await initEngine({ quiet: true })).name;
  await listBackends(); // loads (without selecting) the others, so wasm and cpu can be checked too
  silenceCpuBanner();
});

afterAll(async () => {
  await tf.setBackend(selected);
});

function values(shape: number[], rng: () => number, scale: number): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (2 * rng() - 1) * scale);
}

function check(backend: string): void {
  tf.setBackend(backend);
  const rng = seedrandom(`gradcheck-${backend}`);
  const shapes = { w: [3, 3, 2, 3], gamma: [3], beta: [3], dense: [3 * 3 * 3, 4] };
  const params: Record<string, Float32Array> = {
    w: values(shapes.w, rng, 0.5),
    gamma: Float32Array.from([1.2, 0.8, 1.0]),
    beta: Float32Array.from([0.1, -0.2, 0.05]),
    dense: values(shapes.dense, rng, 0.5),
  };
  const x = tf.tensor4d(values([2, 5, 5, 2], rng, 1), [2, 5, 5, 2]);
  const labels = tf.tensor2d([1, 0, 0, 0, 0, 0, 1, 0], [2, 4]);
  const loss = (p: Record<string, tf.Tensor>) => {
    const z = tf.conv2d(x, p.w as tf.Tensor4D, 2, 'same');
    const { y } = batchNorm(z, p.gamma as tf.Tensor1D, p.beta as tf.Tensor1D, 1e-3);
    const h = tf.tanh(y); // smooth, so finite differences are meaningful everywhere
    const logits = tf.matMul(tf.reshape(h, [2, -1]), p.dense as tf.Tensor2D);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  const lossAt = (p: Record<string, Float32Array>) =>
    tf.tidy(() => {
      const ts = Object.fromEntries(
        Object.entries(p).map(([k, v]) => [k, tf.tensor(v, shapes[k as keyof typeof shapes])]),
      );
      return loss(ts).dataSync()[0];
    });

  const analytic = tf.tidy(() => {
    const vars = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [
        k,
        tf.variable(tf.tensor(v, shapes[k as keyof typeof shapes]), true, `gc_${backend}_${k}`),
      ]),
    );
    const { grads } = tf.variableGrads(() => loss(vars));
    const out = Object.fromEntries(
      Object.entries(vars).map(([k, v]) => [k, Float32Array.from(grads[v.name].dataSync())]),
    );
    Object.values(vars).forEach((v) => v.dispose());
    return out;
  });

  // Central differences in float32: step 1e-2 balances truncation and rounding error.
  const h = 1e-2;
  for (const [name, p] of Object.entries(params)) {
    for (const i of [0, Math.floor(p.length / 2), p.length - 1]) {
      const orig = p[i];
      p[i] = orig + h;
      const up = lossAt(params);
      p[i] = orig - h;
      const down = lossAt(params);
      p[i] = orig;
      const numeric = (up - down) / (2 * h);
      const err = Math.abs(numeric - analytic[name][i]);
      expect({ backend, name, i, ok: err <= 2e-3 + 2e-2 * Math.abs(numeric) }).toEqual({
        backend,
        name,
        i,
        ok: true,
      });
    }
  }
  tf.dispose([x, labels]);
}

test('gradients match finite differences on the selected backend', () => {
  check(selected);
});

test.each(['wasm', 'cpu'])('gradients match finite differences on %s', (backend) => {
  check(backend);
});
