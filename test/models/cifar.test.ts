import * as tf from '@tensorflow/tfjs';
import { buildModel, traceModel } from '../../src/models/index.js';
import { cfg, modelTrainableCount, oneBackwardPass, trainableCount } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('cifar family', () => {
  test('ResNet-20 option A on 32x32x3 has exactly 269,722 trainable parameters (He et al. 2015)', () => {
    const t = traceModel(cfg({ family: 'cifar', depth: 20, block: 'basic' }), [32, 32, 3], 10);
    expect(trainableCount(t)).toBe(269_722);
    expect(t.layers).toHaveLength(20);
    expect(t.outputShape).toEqual([1, 10]);
  });

  test('ResNet-56 and -110 match the paper (0.85M, 1.7M)', () => {
    const n56 = trainableCount(traceModel(cfg({ depth: 56 }), [32, 32, 3], 10));
    const n110 = trainableCount(traceModel(cfg({ depth: 110 }), [32, 32, 3], 10));
    expect(n56).toBe(853_018);
    expect(n110).toBe(1_727_962);
    expect((n56 / 1e6).toFixed(2)).toBe('0.85');
    expect((n110 / 1e6).toFixed(1)).toBe('1.7');
  });

  test('the trace is a dataflow graph: each op names the ops that produced its inputs', () => {
    const t = traceModel(cfg({ depth: 20 }), [32, 32, 3], 10);
    const at = (name: string) => t.ops.findIndex((o) => o.name === name);
    expect(t.ops[0].type).toBe('input');
    expect(t.ops[at('stem.conv')].inputs).toEqual([0]);
    // stage1.block1's addition: its bn2 output and the block input (the stem's activation).
    const add = t.ops.find((o) => o.name === 'stage1.block1#add1')!;
    expect(add.inputs).toEqual([at('stage1.block1.bn2'), at('stem#act1')]);
    // stage2.block1's shortcut (option A) reads stage1's last activation.
    expect(t.ops.find((o) => o.name === 'stage2.block1#shortcut1')!.inputs).toEqual([
      at('stage1.block3#act2'),
    ]);
    t.ops.forEach((o, i) => o.inputs.forEach((j) => expect(j).toBeLessThan(i)));
    expect(t.ops.slice(1).every((o) => o.inputs.length > 0 && o.inputs.every((j) => j >= 0))).toBe(true);
  });

  test('plain and residual option-A nets of the same depth have the same parameter count', () => {
    for (const depth of [20, 56]) {
      const plain = trainableCount(traceModel(cfg({ depth, block: 'plain' }), [32, 32, 3], 10));
      const res = trainableCount(traceModel(cfg({ depth, block: 'basic', shortcut: 'A' }), [32, 32, 3], 10));
      expect(plain).toBe(res);
    }
  });

  test('impossible depth names the valid ones', () => {
    expect(() => traceModel(cfg({ depth: 21 }), [32, 32, 3], 10)).toThrow(/6n\+2, e\.g\. 8, 14, 20, 26/);
    expect(() => traceModel(cfg({ depth: 21, block: 'bottleneck' }), [32, 32, 3], 10)).toThrow(
      /9n\+2, e\.g\. 11, 20, 29/,
    );
  });

  test('real model: forward shapes on 28x28x1 and 8x8x3, params match the trace, no leaks', () => {
    for (const [shape, block] of [
      [[28, 28, 1], 'plain'],
      [[8, 8, 3], 'basic'],
    ] as const) {
      const model = buildModel(cfg({ depth: 8, block, width: 4 }), [...shape], 10, 1);
      expect(modelTrainableCount(model)).toBe(
        trainableCount(traceModel(cfg({ depth: 8, block, width: 4 }), [...shape], 10)),
      );
      const before = tf.memory().numTensors;
      for (let i = 0; i < 2; i++) {
        tf.tidy(() => {
          const out = model.forward(tf.zeros([2, ...shape]), { training: i === 0, tap: true });
          expect(out.logits.shape).toEqual([2, 10]);
          expect([...out.responses.keys()]).toContain('stage3.block1.conv2');
        });
      }
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  });

  test('one backward pass gives every trainable parameter a finite gradient', () => {
    const model = buildModel(cfg({ depth: 8, block: 'basic', width: 4 }), [8, 8, 3], 10, 3);
    const grads = oneBackwardPass(model, 2);
    for (const [name, g] of grads) {
      expect([name, g !== null]).toEqual([name, true]);
      expect([name, g!.every(Number.isFinite)]).toEqual([name, true]);
    }
    model.dispose();
  });

  test('initialisation is seeded and deterministic', () => {
    const a = buildModel(cfg({ depth: 8 }), [8, 8, 3], 10, 5);
    const b = buildModel(cfg({ depth: 8 }), [8, 8, 3], 10, 5);
    const c = buildModel(cfg({ depth: 8 }), [8, 8, 3], 10, 6);
    const k = (m: typeof a) =>
      Array.from(m.params.find((p) => p.name === 'stage2.block1.conv1.kernel')!.variable.dataSync());
    expect(k(a)).toEqual(k(b));
    expect(k(a)).not.toEqual(k(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  test('batch norm: moving statistics update with momentum 0.9 in training mode only; frozen norms use them', () => {
    const model = buildModel(cfg({ depth: 8, width: 4 }), [8, 8, 3], 10, 2);
    const stat = (n: string) => Array.from(model.params.find((p) => p.name === n)!.variable.dataSync());
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 9);
    const allNorms = new Set(model.params.filter((p) => p.name.endsWith('.gamma')).map((p) => p.layer));

    tf.tidy(() => {
      model.forward(x, { training: false });
    });
    tf.tidy(() => {
      model.forward(x, { training: true, frozenNorms: allNorms });
    });
    expect(stat('stem.bn.moving_mean')).toEqual([0, 0, 0, 0]);
    expect(stat('stem.bn.moving_variance')).toEqual([1, 1, 1, 1]);
    // Frozen norms in training mode compute exactly what inference does.
    tf.tidy(() => {
      const frozen = model.forward(x, { training: true, frozenNorms: allNorms }).logits.dataSync();
      const inference = model.forward(x, { training: false }).logits.dataSync();
      expect(Array.from(frozen)).toEqual(Array.from(inference));
    });

    const before = tf.memory().numTensors;
    const conv = tf.tidy(
      () => model.forward(x, { training: true, tap: true }).responses.get('stem.conv')!.shape,
    );
    expect(conv).toEqual([4, 8, 8, 4]);
    expect(tf.memory().numTensors).toBe(before);
    // stem.conv's batch mean, from the same kernel, gives the expected moving mean 0.9 * 0 + 0.1 * mean.
    const expected = tf.tidy(() => {
      const k = model.params.find((p) => p.name === 'stem.conv.kernel')!.variable as tf.Variable<tf.Rank.R4>;
      return Array.from(
        tf
          .conv2d(x as tf.Tensor4D, k, 1, 'same')
          .mean([0, 1, 2])
          .mul(0.1)
          .dataSync(),
      );
    });
    stat('stem.bn.moving_mean').forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(stat('stem.bn.moving_variance').every((v) => v !== 1)).toBe(true);
    x.dispose();
    model.dispose();
  });

  test('gradients flow through frozen (inference-mode) batch norms', () => {
    const model = buildModel(cfg({ depth: 8, width: 4 }), [8, 8, 3], 10, 2);
    const frozen = new Set(['stem.bn', 'stage1.block1.bn1.gamma']); // a layer name or one of its params
    const gamma = model.params.find((p) => p.name === 'stem.bn.gamma')!.variable;
    const mean = model.params.find((p) => p.name === 'stage1.block1.bn1.moving_mean')!.variable;
    const g = tf.tidy(() => {
      const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 4);
      const { grads } = tf.variableGrads(
        () => model.forward(x, { training: true, frozenNorms: frozen }).logits.square().mean() as tf.Scalar,
        [gamma],
      );
      return Array.from(grads[gamma.name].dataSync());
    });
    expect(g.every(Number.isFinite) && g.some((v) => v !== 0)).toBe(true);
    expect(Array.from(mean.dataSync())).toEqual([0, 0, 0, 0]);
    model.dispose();
  });

  test('a training step (forward inside variableGrads) leaks no tensors', () => {
    const model = buildModel(cfg({ depth: 8, width: 4 }), [8, 8, 3], 10, 2);
    oneBackwardPass(model, 2);
    const before = tf.memory().numTensors;
    oneBackwardPass(model, 2);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe("padding as He et al.'s nets pad", () => {
  const convs = (padding?: 'same') =>
    traceModel(cfg({ depth: 8, ...(padding ? { padding } : {}) }), [32, 32, 3], 10).ops.filter(
      (o) => o.type === 'conv',
    );

  test('every 3x3 conv pads 1 on every side, the stride-2 ones included; the old rule is still there by name', () => {
    const symmetric = convs();
    expect(symmetric.filter((o) => o.attrs.stride === 2).map((o) => o.attrs.padding)).toEqual(['1', '1']);
    expect(new Set(symmetric.map((o) => o.attrs.padding))).toEqual(new Set(['1']));
    expect(new Set(convs('same').map((o) => o.attrs.padding))).toEqual(new Set(['same']));
  });

  test("the ImageNet stem pads its 7x7/2 conv by 3 and its 3x3/2 max pool by 1, as torchvision's", () => {
    const ops = traceModel(
      cfg({ family: 'resnet', variant: 'resnet18', block: 'basic', shortcut: 'B' }),
      [224, 224, 3],
      1000,
    ).ops;
    expect(ops.find((o) => o.name === 'stem.conv')?.attrs).toMatchObject({
      kernel: 7,
      stride: 2,
      padding: '3',
    });
    const pool = ops.find((o) => o.type === 'pool' && o.attrs.kind === 'max')!;
    expect(pool.attrs).toMatchObject({ size: 3, stride: 2, padding: 1 });
    expect(pool.outShape).toEqual([1, 56, 56, 64]);
  });

  test("a stride-2 window is centred on the pixels option A's shortcut keeps under symmetric padding, one off under 'same'", () => {
    // A 3x3 kernel that picks its centre pixel: the conv returns the pixel each window is centred on.
    const x = tf.tensor4d(
      Array.from({ length: 64 }, (_, i) => i),
      [1, 8, 8, 1],
    );
    const centre = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3, 1, 1]);
    const shortcut = tf.avgPool(x, 1, 2, 'valid'); // x[::2, ::2], as option A subsamples
    expect(tf.conv2d(x, centre, 2, 1).arraySync()).toEqual(shortcut.arraySync());
    expect(tf.conv2d(x, centre, 2, 'same').arraySync()).not.toEqual(shortcut.arraySync());
    expect(tf.conv2d(x, centre, 2, 'same').dataSync()[0]).toBe(9); // x[1][1]: one pixel down and right
    tf.dispose([x, centre, shortcut]);
  });
});
