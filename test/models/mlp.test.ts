import * as tf from '@tensorflow/tfjs';
import { buildModel, traceModel } from '../../src/models/index.js';
import { cfg, oneBackwardPass, trainableCount } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('mlp family', () => {
  test('plain MLP: depth x width dense layers, exact parameter count', () => {
    // 64 -> 32 (stem, no bias with BN) + 2 blocks x 2 layers of 32x32 + head 32x10 (+bias); BN: 2x32 per layer.
    const t = traceModel(cfg({ family: 'mlp', block: 'plain', depth: 6, width: 32 }), [64], 10);
    expect(t.layers.map((l) => [l.name, l.kind])).toEqual([
      ['stem.dense', 'dense'],
      ['stage1.block1.conv1', 'dense'],
      ['stage1.block1.conv2', 'dense'],
      ['stage1.block2.conv1', 'dense'],
      ['stage1.block2.conv2', 'dense'],
      ['head.dense', 'dense'],
    ]);
    expect(trainableCount(t)).toBe(64 * 32 + 4 * 32 * 32 + 32 * 10 + 10 + 5 * 2 * 32);
  });

  test('norm none adds biases; layer norm has no moving statistics; images are flattened', () => {
    const none = traceModel(
      cfg({ family: 'mlp', block: 'plain', depth: 4, width: 8, norm: 'none' }),
      [28, 28, 1],
      10,
    );
    expect(trainableCount(none)).toBe(784 * 8 + 8 + 2 * (8 * 8 + 8) + 8 * 10 + 10);
    const ln = traceModel(
      cfg({ family: 'mlp', block: 'basic', depth: 4, width: 8, norm: 'layer' }),
      [16],
      10,
    );
    expect(ln.params.some((p) => p.name.endsWith('moving_mean'))).toBe(false);
    expect(ln.params.filter((p) => p.name.endsWith('.gamma'))).toHaveLength(3);
  });

  test('plain and residual MLPs of the same depth have the same parameter count', () => {
    const n = (block: string) =>
      trainableCount(traceModel(cfg({ family: 'mlp', block, depth: 10, width: 16 }), [20], 10));
    expect(n('basic')).toBe(n('plain'));
  });

  test('invalid depth names the valid ones', () => {
    expect(() => traceModel(cfg({ family: 'mlp', block: 'plain', depth: 5 }), [20], 10)).toThrow(
      /depth must be 2 \+ 2k, e\.g\. 2, 4, 6/,
    );
  });

  test.each([
    ['plain', 'batch', 'relu', 'he'],
    ['basic', 'layer', 'tanh', 'glorot'],
    ['rezero', 'none', 'sigmoid', 'lecun'],
    ['preact', 'batch', 'relu', 'he'],
  ] as const)(
    '%s / norm %s / %s / %s: logits shape, taps and finite gradients',
    (block, norm, activation, init) => {
      const model = buildModel(
        cfg({ family: 'mlp', block, depth: 6, width: 8, norm, activation, init }),
        [12],
        5,
        0,
      );
      tf.tidy(() => {
        const out = model.forward(tf.randomNormal([3, 12]), { training: true, tap: true });
        expect(out.logits.shape).toEqual([3, 5]);
        expect(out.responses.get('stage1.block2.conv2')!.shape).toEqual([3, 8]);
        expect(out.activations.size > 0).toBe(activation === 'relu');
      });
      for (const [name, g] of oneBackwardPass(model, 3))
        expect([name, g !== null && g.every(Number.isFinite)]).toEqual([name, true]);
      model.dispose();
    },
  );

  test('glorot init has the Glorot uniform range', () => {
    const model = buildModel(
      cfg({ family: 'mlp', block: 'plain', depth: 4, width: 100, init: 'glorot', norm: 'none' }),
      [300],
      10,
      0,
    );
    const k = model.params.find((p) => p.name === 'stem.dense.kernel')!.variable;
    const limit = Math.sqrt(6 / (300 + 100));
    const [lo, hi] = tf.tidy(() => [k.min().dataSync()[0], k.max().dataSync()[0]]);
    expect(hi).toBeLessThanOrEqual(limit);
    expect(hi).toBeGreaterThan(0.95 * limit);
    expect(lo).toBeGreaterThanOrEqual(-limit);
    model.dispose();
  });
});
