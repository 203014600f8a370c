// Every kernel gradflow registers for wasm, against the cpu backend on random inputs: forward
// values and gradients over strides, padding, odd/even sizes, kernel sizes and batch sizes.
import * as tf from '@tensorflow/tfjs';
import { wasmKernels } from '../../src/engine/backends/wasm/register_all_kernels.js';
import {
  expectSameAsCpu,
  random,
  run,
  relativeError,
  TOLERANCE,
  type Input,
  wasmAgainstCpu,
} from './compare.js';

wasmAgainstCpu();

test('the registered wasm kernels are the ones this suite covers', () => {
  expect(wasmKernels.map((k) => k.kernelName).sort()).toEqual([
    'Conv2DBackpropFilter',
    'Conv2DBackpropInput',
    'DepthwiseConv2dNativeBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
    'GradflowBatchNorm',
    'GradflowBatchNormGrad',
    // The optimiser's and the moving statistics' kernels have suites of their own, across backends.
    'GradflowMovingAverages',
    'GradflowSgdMomentum',
    'Identity',
    'UnsortedSegmentSum',
  ]);
  for (const k of wasmKernels)
    expect([k.kernelName, tf.getKernel(k.kernelName, 'wasm')?.kernelFunc === k.kernelFunc]).toEqual([
      k.kernelName,
      true,
    ]);
});

type ConvCase = [
  batch: number,
  size: number,
  inC: number,
  outC: number,
  k: number,
  stride: number | [number, number],
  pad: 'same' | 'valid' | number,
];
const convCases: ConvCase[] = [];
for (const [batch, size] of [
  [1, 7],
  [3, 8],
]) {
  for (const k of [1, 3]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) convCases.push([batch, size, 3, 5, k, stride, pad]);
    }
  }
}
// Kernel larger than the stride on both sides, stride 3, and unequal strides (no depth-to-space).
convCases.push(
  [2, 9, 2, 4, 5, 2, 'same'],
  [2, 10, 2, 3, 3, 3, 'valid'],
  [2, 9, 4, 2, 3, [1, 2], 'same'],
  [2, 6, 2, 2, 2, 2, 'same'],
  // Symmetric k//2 padding (He et al.'s nets, PyTorch): stride 2 on even and odd sizes, a 7x7 stem.
  [3, 8, 3, 5, 3, 2, 1],
  [1, 7, 3, 5, 3, 2, 1],
  [2, 8, 2, 4, 3, 1, 1],
  [1, 16, 3, 4, 7, 2, 3],
);

describe.each(convCases)(
  'conv2d batch %d size %d %d->%d k%d stride %p pad %p',
  (batch, size, inC, outC, k, stride, pad) => {
    const x = random([batch, size, size + 1, inC], `x${batch}${size}${k}`);
    const w = random([k, k, inC, outC], `w${k}${inC}${outC}`);
    test('values and gradients (Conv2DBackpropInput/Filter) match cpu', () => {
      expectSameAsCpu('wasm', (a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), [x, w]);
    });
    test('conv2dTranspose (Conv2DBackpropInput as a forward op) matches cpu', () => {
      const y = tf.tidy(() => {
        tf.setBackend('cpu');
        return tf.conv2d(
          tf.tensor4d(x.values, x.shape as [number, number, number, number]),
          tf.tensor4d(w.values, w.shape as [number, number, number, number]),
          stride,
          pad,
        ).shape;
      });
      const dy = random(y, 'dyT');
      const op = (d: tf.Tensor, f: tf.Tensor) =>
        tf.conv2dTranspose(
          d as tf.Tensor4D,
          f as tf.Tensor4D,
          x.shape as [number, number, number, number],
          stride,
          pad,
        );
      const expected = run('cpu', op, [dy, w], false);
      const actual = run('wasm', op, [dy, w], false);
      expect(relativeError(actual[0], expected[0])).toBeLessThanOrEqual(TOLERANCE);
    });
  },
);

describe.each([
  [1, 7, 3, 1, 3, 1, 'same'],
  [2, 8, 2, 2, 3, 2, 'same'],
  [2, 9, 3, 2, 3, 2, 'valid'],
  [1, 6, 4, 1, 1, 1, 'valid'],
] as const)(
  'depthwiseConv2d batch %d size %d C%d x%d k%d stride %d %s',
  (batch, size, c, mult, k, stride, pad) => {
    test('values and gradients match cpu', () => {
      const x = random([batch, size, size, c], `dx${batch}${size}`);
      const w = random([k, k, c, mult], `dw${k}${c}${mult}`);
      expectSameAsCpu('wasm', (a, b) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), [
        x,
        w,
      ]);
    });
  },
);

describe('Identity (shares the buffer instead of copying)', () => {
  test('clone and the gradients that save inputs still give cpu results', () => {
    expectSameAsCpu('wasm', (a) => tf.mul(tf.clone(a), tf.relu(a)), [random([4, 5, 6], 'id')]);
  });
  test('a clone outlives its disposed source', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
  });
});

describe('UnsortedSegmentSum', () => {
  test('values match cpu, including dropped negative ids', () => {
    const x = random([6, 4], 'seg');
    const ids: Input = { shape: [6], values: Int32Array.from([0, 2, 2, -1, 3, 0]), dtype: 'int32' };
    expectSameAsCpu('wasm', (a, s) => tf.unsortedSegmentSum(a, s as tf.Tensor1D, 4), [x, ids]);
  });
  test('the gradient of gather (which uses it) matches cpu', () => {
    const x = random([5, 3], 'gather');
    const idx: Input = { shape: [7], values: Int32Array.from([4, 0, 0, 3, 1, 4, 4]), dtype: 'int32' };
    expectSameAsCpu('wasm', (a, i) => tf.gather(a, i as tf.Tensor1D), [x, idx]);
  });
});

describe('StridedSlice gradient', () => {
  test.each([
    [
      [4, 7, 6, 3],
      [0, 0, 0, 0],
      [4, 7, 6, 3],
      [1, 2, 2, 1],
    ],
    [
      [3, 8, 5],
      [1, 1, 0],
      [3, 7, 5],
      [1, 3, 2],
    ],
    [[10], [8], [1], [-3]],
  ])('shape %p begin %p end %p strides %p matches cpu on both backends', (shape, begin, end, strides) => {
    const x = random(shape, `ss${shape}`);
    const op = (a: tf.Tensor) => tf.stridedSlice(a, begin, end, strides);
    const expected = run('cpu', op, [x], true);
    // Reference: the same selection as a gather-free dense mask computed in JS.
    const mask = new Float32Array(x.values.length);
    tf.tidy(() => {
      tf.setBackend('cpu');
      const picked = tf.stridedSlice(tf.range(0, mask.length).reshape(shape), begin, end, strides).dataSync();
      const dy = run(
        'cpu',
        (a) => a,
        [random(expected[0].length ? [expected[0].length] : [0], 'dy')],
        false,
      )[0];
      picked.forEach((flat, i) => (mask[flat] = dy[i]));
    });
    expect(relativeError(expected[1], mask)).toBe(0);
    expectSameAsCpu('wasm', op, [x]);
  });
});
