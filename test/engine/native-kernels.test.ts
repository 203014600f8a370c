// Every native (oneDNN) kernel against the cpu backend on random inputs: values and gradients.
// Skipped only when the addon is not built (CI builds it), with the reason printed.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { registerNativeBackend } from '../../src/engine/backends/native/register.js';
import {
  batchNormReluTrainingKernel,
  batchNormTrainingKernel,
} from '../../src/engine/batch_norm_training.js';

const load = await registerNativeBackend(2);
if (!load.ok) console.warn(`native kernel suite skipped: ${load.reason}`);
const suite = load.ok ? describe : describe.skip;

const TOLERANCE = 1e-4;
const rng = seedrandom('native-kernels');

function random(
  shape: number[],
  { positive = false, source = rng }: { positive?: boolean; source?: () => number } = {},
): { shape: number[]; values: Float32Array } {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = positive ? 0.1 + 2 * source() : 2 * source() - 1;
  return { shape, values };
}

type Input = { shape: number[]; values: Float32Array };
type Op = (...xs: tf.Tensor[]) => tf.Tensor;

// Runs op (and optionally the gradient of sum(op * dy) w.r.t. every input) on one backend.
function run(backend: string, op: Op, inputs: Input[], grads: boolean): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const y = op(...xs);
    const outs = [y];
    if (grads) {
      // The same upstream gradient on both backends: a fresh generator with a fixed seed.
      const dy = tf.tensor(random(y.shape, { source: seedrandom('dy') }).values, y.shape);
      outs.push(...tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(op(...args), dy)))(xs));
    }
    return outs.map((t) => Float32Array.from(t.dataSync()));
  });
}

/** max |a - b| / max |b|: one number per output, so a handful of large values cannot hide errors. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

function expectSame(op: Op, inputs: Input[], { grads = true } = {}): void {
  const expected = run('cpu', op, inputs, grads);
  const actual = run('native', op, inputs, grads);
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.length).toBe(expected[i].length);
    expect(relativeError(a, expected[i])).toBeLessThanOrEqual(TOLERANCE);
  });
}

suite('native backend', () => {
  afterAll(() => {
    tf.setBackend('cpu');
  });

  it('registers native kernels over the cpu ones and keeps the rest', () => {
    const cpu = tf.getKernelsForBackend('cpu').map((k) => k.kernelName);
    const native = new Set(tf.getKernelsForBackend('native').map((k) => k.kernelName));
    expect(cpu.filter((name) => !native.has(name))).toEqual([]);
    for (const name of [tf.Conv2D, tf.Conv2DBackpropFilter, tf.BatchMatMul, tf.Add, tf.Sum]) {
      expect(tf.getKernel(name, 'native')?.kernelFunc).not.toBe(tf.getKernel(name, 'cpu')?.kernelFunc);
    }
  });

  it('falls back to the cpu kernel for dtypes it does not handle', () => {
    tf.setBackend('native');
    const sum = tf.tidy(() => tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.scalar(4, 'int32')).arraySync());
    expect(sum).toEqual([5, 6, 7]);
  });

  it('keeps tf.memory().numTensors flat over repeated steps', () => {
    tf.setBackend('native');
    const x = tf.tensor(random([2, 6, 6, 3]).values, [2, 6, 6, 3]);
    const w = tf.tensor(random([3, 3, 3, 4]).values, [3, 3, 3, 4]);
    const step = () =>
      tf.tidy(() =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))),
        )([x, w]),
      );
    step().forEach((t) => t.dispose());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step().forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });
});

// Conv2D with its two backprop kernels (values, dx, dW): 1x1 and 3x3, strides 1/2, same/valid, odd/even, batch 1/3.
const convCases = [
  { batch: 1, size: 8, cin: 3, cout: 4, k: 3, stride: 1, pad: 'same' },
  { batch: 3, size: 8, cin: 4, cout: 8, k: 3, stride: 2, pad: 'same' },
  { batch: 2, size: 7, cin: 5, cout: 6, k: 3, stride: 2, pad: 'same' },
  { batch: 2, size: 7, cin: 3, cout: 4, k: 3, stride: 1, pad: 'valid' },
  { batch: 1, size: 9, cin: 4, cout: 3, k: 3, stride: 2, pad: 'valid' },
  { batch: 3, size: 6, cin: 16, cout: 16, k: 1, stride: 1, pad: 'same' },
  { batch: 2, size: 7, cin: 8, cout: 16, k: 1, stride: 2, pad: 'valid' },
  { batch: 1, size: 6, cin: 3, cout: 5, k: 1, stride: 2, pad: 'same' },
  // Symmetric k//2 padding, as He et al.'s nets and PyTorch pad: stride 2 on even and odd sizes, a 7x7 stem.
  { batch: 3, size: 8, cin: 4, cout: 8, k: 3, stride: 2, pad: 1 },
  { batch: 2, size: 7, cin: 3, cout: 5, k: 3, stride: 2, pad: 1 },
  { batch: 2, size: 8, cin: 3, cout: 4, k: 3, stride: 1, pad: 1 },
  { batch: 1, size: 16, cin: 3, cout: 4, k: 7, stride: 2, pad: 3 },
] as const;

suite('native Conv2D / Conv2DBackpropInput / Conv2DBackpropFilter', () => {
  it.each(convCases)('%o', ({ batch, size, cin, cout, k, stride, pad }) => {
    expectSame(
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad),
      [random([batch, size, size, cin]), random([k, k, cin, cout])],
    );
  });

  it('matches with non-square input, explicit padding and dilation (values)', () => {
    expectSame(
      (x, w) =>
        tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, [
          [0, 0],
          [1, 2],
          [2, 0],
          [0, 0],
        ]),
      [random([2, 5, 9, 3]), random([3, 2, 3, 4])],
    );
    expectSame(
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2),
      [random([2, 9, 9, 3]), random([3, 3, 3, 4])],
      { grads: false },
    );
  });
});

suite('native FusedConv2D (bias, ReLU)', () => {
  it.each([
    { stride: 1, pad: 'same', activation: 'relu' },
    { stride: 2, pad: 'valid', activation: 'linear' },
    { stride: 2, pad: 'same', activation: 'relu' },
  ] as const)('%o', ({ stride, pad, activation }) => {
    expectSame(
      (x, w, b) =>
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          bias: b,
          strides: stride,
          pad,
          activation,
        }),
      [random([2, 7, 7, 3]), random([3, 3, 3, 8]), random([8])],
    );
  });
});

suite('native BatchMatMul / _FusedMatMul', () => {
  it.each([
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [7, 5], b: [7, 3], ta: true, tb: false },
    { a: [5, 7], b: [3, 7], ta: false, tb: true },
    { a: [7, 5], b: [3, 7], ta: true, tb: true },
    { a: [4, 5, 7], b: [4, 7, 3], ta: false, tb: false },
  ])('%o', ({ a, b, ta, tb }) => {
    expectSame((x, y) => tf.matMul(x, y, ta, tb), [random(a), random(b)]);
  });

  // tfjs's BatchMatMul gradient does not reduce broadcast batch dimensions (on any backend): values only.
  it.each([
    { a: [4, 5, 7], b: [7, 3], ta: false, tb: false },
    { a: [1, 5, 7], b: [2, 3, 7], ta: false, tb: true },
  ])('batch broadcast %o', ({ a, b, ta, tb }) => {
    expectSame((x, y) => tf.matMul(x, y, ta, tb), [random(a), random(b)], { grads: false });
  });

  it.each(['relu', 'linear'] as const)('fused with bias, %s', (activation) => {
    expectSame(
      (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation }),
      [random([6, 9]), random([9, 4]), random([4])],
    );
  });
});

suite('native MaxPool / AvgPool and gradients', () => {
  it.each([
    { batch: 1, size: 8, k: 2, stride: 2, pad: 'valid' },
    { batch: 3, size: 7, k: 3, stride: 2, pad: 'same' },
    { batch: 2, size: 6, k: 3, stride: 1, pad: 'same' },
    { batch: 2, size: 7, k: 1, stride: 2, pad: 'valid' },
    { batch: 2, size: 8, k: 3, stride: 2, pad: 1 }, // torchvision's ResNet stem pool
  ] as const)('%o', ({ batch, size, k, stride, pad }) => {
    const x = random([batch, size, size, 5]);
    expectSame((t) => tf.maxPool(t as tf.Tensor4D, k, stride, pad), [x]);
    // tfjs's cpu AvgPoolGrad divides by the whole window even where its forward excludes padding,
    // so with padding the gradient is checked against finite differences below instead.
    expectSame((t) => tf.avgPool(t as tf.Tensor4D, k, stride, pad), [x], { grads: pad === 'valid' });
  });

  it('AvgPool gradient with padding equals finite differences of the forward', () => {
    const shape = [2, 5, 5, 2];
    const x = random(shape);
    const pool = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, 3, 2, 'same');
    const [native] = run('native', pool, [x], true).slice(1);
    // The pool is linear, so f(x + e_i) - f(x) is exactly d f / d x_i (up to rounding).
    tf.setBackend('cpu');
    const numeric = tf.tidy(() => {
      const dy = tf.tensor(random([2, 3, 3, 2], { source: seedrandom('dy') }).values, [2, 3, 3, 2]);
      const f = (v: Float32Array) => tf.sum(tf.mul(pool(tf.tensor(v, shape)), dy)).dataSync()[0];
      const base = f(x.values);
      return x.values.map((_, i) => {
        const bumped = x.values.slice();
        bumped[i] += 1;
        return f(bumped) - base;
      });
    });
    expect(relativeError(native, numeric)).toBeLessThanOrEqual(1e-4);
  });
});

suite('native elementwise ops', () => {
  const unary: [string, Op, boolean][] = [
    ['relu', (x) => tf.relu(x), false],
    ['relu6', (x) => tf.relu6(tf.mul(x, 8)), false],
    ['step', (x) => tf.step(x, 0.25), false],
    ['square', (x) => tf.square(x), false],
    ['neg', (x) => tf.neg(x), false],
    ['sqrt', (x) => tf.sqrt(x), true],
    ['rsqrt', (x) => tf.rsqrt(x), true],
    ['exp', (x) => tf.exp(x), false],
    ['log', (x) => tf.log(x), true],
    ['abs', (x) => tf.abs(x), false],
    ['sigmoid', (x) => tf.sigmoid(x), false],
    ['tanh', (x) => tf.tanh(x), false],
  ];
  it.each(unary)('%s', (_name, op, positive) => {
    expectSame(op, [random([3, 5, 4, 7], { positive })]);
  });

  const shapes: [number[], number[]][] = [
    [
      [2, 5, 5, 8],
      [2, 5, 5, 8],
    ],
    [[2, 5, 5, 8], [8]],
    [[8], [2, 5, 5, 8]],
    [[2, 5, 5, 8], []],
    [
      [2, 1, 1, 8],
      [2, 5, 5, 8],
    ],
    [
      [2, 5, 5, 8],
      [2, 5, 1, 1],
    ],
    [
      [2, 1, 3, 1, 2],
      [1, 4, 1, 5, 1],
    ], // four runs: the cpu kernel takes over
  ];
  const binary: [string, Op][] = [
    ['add', (a, b) => tf.add(a, b)],
    ['sub', (a, b) => tf.sub(a, b)],
    ['mul', (a, b) => tf.mul(a, b)],
    ['div', (a, b) => tf.div(a, tf.add(tf.abs(b), 0.5))],
    ['squaredDifference', (a, b) => tf.squaredDifference(a, b)],
    ['maximum', (a, b) => tf.maximum(a, b)],
    ['minimum', (a, b) => tf.minimum(a, b)],
  ];
  // tfjs's own gradients of squaredDifference, maximum and minimum do not reduce broadcast dimensions.
  const reducesBroadcastGradient = new Set(['add', 'sub', 'mul', 'div']);
  it.each(binary)('%s with broadcasts', (name, op) => {
    for (const [a, b] of shapes) {
      const same = a.length === b.length && a.every((d, i) => d === b[i]);
      expectSame(op, [random(a), random(b)], { grads: same || reducesBroadcastGradient.has(name) });
    }
  });
});

suite('native reductions', () => {
  it.each([
    [[0, 1, 2], false],
    [[1, 2], true],
    [[3], false],
    [[0], true],
    [[0, 2], false], // not contiguous: the cpu kernel takes over
    [[0, 1, 2, 3], false],
  ] as [number[], boolean][])('axes %j keepDims %s', (axes, keepDims) => {
    const x = random([4, 5, 6, 7]);
    expectSame((t) => tf.sum(t, axes, keepDims), [x]);
    expectSame((t) => tf.mean(t, axes, keepDims), [x]);
    expectSame((t) => tf.max(t, axes, keepDims), [x]);
    expectSame((t) => tf.min(t, axes, keepDims), [x]);
  });

  it('sums a large leading run (batch-norm statistics) in double precision', () => {
    expectSame((t) => tf.sum(t, [0, 1, 2]), [random([64, 28, 28, 16], { positive: true })], { grads: false });
  });
});

suite('native batch norm', () => {
  // Reference: the textbook expression in tf ops, differentiated by tfjs.
  const reference = (x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), scale), offset);
  };

  it.each([
    [1, 5, 5, 6],
    [4, 7, 6, 16],
  ])('training mode, values and gradients, shape [%i,%i,%i,%i]', (...shape) => {
    const inputs = [random(shape), random([shape[3]], { positive: true }), random([shape[3]])];
    const native = run(
      'native',
      (x, s, o) => batchNormTrainingKernel(x, s as tf.Tensor1D, o as tf.Tensor1D, 1e-3).y,
      inputs,
      true,
    );
    const expected = run('cpu', reference, inputs, true);
    native.forEach((a, i) => expect(relativeError(a, expected[i])).toBeLessThanOrEqual(TOLERANCE));
  });

  it.each([
    [1, 5, 5, 6],
    [4, 7, 6, 16],
    [3, 9, 9, 37],
  ])('fused with ReLU: values and gradients equal relu of the reference, shape [%i,%i,%i,%i]', (...shape) => {
    const inputs = [random(shape), random([shape[3]], { positive: true }), random([shape[3]])];
    const fused = (x: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
      batchNormReluTrainingKernel(x, s as tf.Tensor1D, o as tf.Tensor1D, 1e-3).y;
    const native = run('native', fused, inputs, true);
    const expected = run('cpu', (x, s, o) => tf.relu(reference(x, s, o)), inputs, true);
    native.forEach((a, i) => expect(relativeError(a, expected[i])).toBeLessThanOrEqual(TOLERANCE));
    // About half the outputs are clipped, so the mask is exercised both ways.
    const zeros = native[0].filter((v) => v === 0).length / native[0].length;
    expect(zeros).toBeGreaterThan(0.2);
    expect(zeros).toBeLessThan(0.8);
  });

  it('fused with ReLU: the same statistics, and the same bits as ReLU after the unfused kernel', () => {
    tf.setBackend('native');
    const x = random([4, 6, 6, 8]);
    const scale = random([8], { positive: true });
    const offset = random([8]);
    const before = tf.memory().numTensors;
    const [fusedY, plainY, fusedMean, plainMean, fusedVar, plainVar] = tf.tidy(() => {
      const [xs, s, o] = [x, scale, offset].map((i) => tf.tensor(i.values, i.shape));
      const fused = batchNormReluTrainingKernel(xs, s as tf.Tensor1D, o as tf.Tensor1D, 1e-5);
      const plain = batchNormTrainingKernel(xs, s as tf.Tensor1D, o as tf.Tensor1D, 1e-5);
      return [fused.y, tf.relu(plain.y), fused.mean, plain.mean, fused.variance, plain.variance].map((t) =>
        Array.from(t.dataSync()),
      );
    });
    expect(fusedY).toEqual(plainY);
    expect(fusedMean).toEqual(plainMean);
    expect(fusedVar).toEqual(plainVar);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('returns the batch mean and biased variance', () => {
    tf.setBackend('native');
    const x = random([3, 4, 4, 5]);
    const [mean, variance, refMean, refVariance] = tf.tidy(() => {
      const xs = tf.tensor(x.values, x.shape);
      const out = batchNormTrainingKernel(xs, tf.ones([5]), tf.zeros([5]), 1e-3);
      const ref = tf.moments(xs, [0, 1, 2]);
      return [out.mean, out.variance, ref.mean, ref.variance].map((t) => Float32Array.from(t.dataSync()));
    });
    expect(relativeError(mean, refMean)).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(variance, refVariance)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('tf.batchNorm (FusedBatchNorm, inference) matches', () => {
    expectSame(
      (x, m, v, o, s) =>
        tf.batchNorm(x, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, 1e-3),
      [random([2, 5, 5, 6]), random([6]), random([6], { positive: true }), random([6]), random([6])],
      { grads: false },
    );
  });
});

suite('native Slice / PadV2', () => {
  it.each([
    { shape: [2, 5, 5, 8], begin: [0, 0, 0, 2], size: [2, 5, 5, 4] },
    { shape: [3, 6, 7, 4], begin: [1, 2, 1, 0], size: [2, 3, 5, 4] },
    { shape: [10], begin: [3], size: [5] },
    { shape: [4, 9], begin: [0, 0], size: [4, 9] },
  ])('slice %o', ({ shape, begin, size }) => {
    expectSame((x) => tf.slice(x, begin, size), [random(shape)]);
  });

  it.each([
    {
      shape: [2, 4, 4, 8],
      paddings: [
        [0, 0],
        [0, 0],
        [0, 0],
        [4, 4],
      ],
      value: 0,
    },
    {
      shape: [2, 3, 5, 2],
      paddings: [
        [1, 0],
        [2, 1],
        [0, 3],
        [1, 1],
      ],
      value: 1.5,
    },
    { shape: [7], paddings: [[2, 3]], value: -1 },
  ] as { shape: number[]; paddings: [number, number][]; value: number }[])(
    'pad %o',
    ({ shape, paddings, value }) => {
      expectSame((x) => tf.pad(x, paddings, value), [random(shape)]);
    },
  );
});

suite('native output-array pool', () => {
  it('never recycles an array that was read out or is viewed by another tensor', () => {
    tf.setBackend('native');
    const shape = [4, 8, 8, 16];
    const x = tf.tensor(random(shape).values, shape);
    const y = tf.relu(x);
    const read = y.dataSync();
    const expectedRead = Float32Array.from(read);
    const z = tf.relu(x);
    const halves = tf.split(z, 2, 0); // the cpu SplitV kernel returns views of z's array
    // relu(x) again, so the expected halves come without reading (and so pinning) the views themselves.
    const half = expectedRead.length / 2;
    const expectedHalves = [expectedRead.slice(0, half), expectedRead.slice(half)];
    tf.dispose([y, z]);
    // Allocate and fill many same-sized outputs: none may land in the arrays still in use.
    const churn = Array.from({ length: 8 }, () => tf.neg(x));
    expect(read).toEqual(expectedRead);
    halves.forEach((h, i) => expect(h.dataSync()).toEqual(expectedHalves[i]));
    tf.dispose([x, ...halves, ...churn]);
  });

  it('reuses disposed outputs with correct results', () => {
    tf.setBackend('native');
    const x = tf.tensor(random([2, 16, 16, 8]).values, [2, 16, 16, 8]);
    const reference = tf.tidy(() => tf.mul(tf.relu(x), 2).dataSync().slice());
    for (let i = 0; i < 4; i++) {
      const out = tf.tidy(() => tf.mul(tf.relu(tf.add(tf.neg(x), tf.mul(x, 2))), 2));
      expect(relativeError(out.dataSync() as Float32Array, reference as Float32Array)).toBeLessThanOrEqual(
        TOLERANCE,
      );
      out.dispose();
    }
    x.dispose();
  });
});

suite('the op tables', () => {
  test("every op code the addon declares names a TF.js kernel (or gradflow's ReLU gradient)", async () => {
    const { loadAddon } = await import('../../src/engine/backends/native/addon.js');
    const { RELU_GRAD_KERNEL } = await import('../../src/engine/backends/native/kernels/GradflowReluGrad.js');
    const addon = loadAddon();
    if (!addon.ok) throw new Error(addon.reason);
    const tables = [addon.addon.unaryOps, addon.addon.binaryOps, addon.addon.reduceOps];
    const names = tables.flatMap((t) => Object.keys(t));
    expect(names.length).toBe(24);
    const unknown = names.filter((n) => n !== RELU_GRAD_KERNEL && tf.getKernel(n, 'cpu') == null);
    expect(unknown).toEqual([]);
    // Codes within a table are distinct, and each kernel is registered on the native backend.
    for (const t of tables) expect(new Set(Object.values(t)).size).toBe(Object.keys(t).length);
    for (const n of names) expect(tf.getKernel(n, 'native')).toBeDefined();
  });
});
