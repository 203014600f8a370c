// Every built-in block, in a narrow three-stage net (so each block also meets a down-sampling
// stage) and on its own (identity at initialisation).
import * as tf from '@tensorflow/tfjs';
import { getBlock, listBlocks } from '../../src/blocks/registry.js';
import { buildModel, traceModel } from '../../src/models/index.js';
import { instantiate, type NetworkSpec } from '../../src/models/network.js';
import { cfg, oneBackwardPass } from '../models/helpers.js';

const BUILTIN = [
  'plain',
  'plain-bottleneck',
  'basic',
  'bottleneck',
  'preact',
  'preact-bottleneck',
  'rezero',
  'skipinit',
  'fixup',
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One block per stage: depth 2 + 3 * layers. */
const smallest = (block: string) =>
  cfg({ family: 'cifar', block, depth: 2 + 3 * getBlock(block).layers, width: 4 });

test('the nine built-in blocks are registered, each with a description, a reference and its source file', () => {
  const names = listBlocks().map((b) => b.name);
  for (const name of BUILTIN) expect(names).toContain(name);
  for (const name of BUILTIN) {
    const b = getBlock(name);
    expect(b.description.length).toBeGreaterThan(10);
    expect(b.reference).toMatch(/\d{4}/);
    expect(b.source).toMatch(/^built-in \(src\/blocks\/[a-z-]+\.ts\)$/);
  }
  expect(getBlock('plain').residual).toBe(false);
  expect(getBlock('basic').residual).toBe(true);
});

test('unknown block names list the registered ones', () => {
  expect(() => getBlock('resnext')).toThrow(
    /unknown block "resnext"; registered blocks: plain, plain-bottleneck, basic/,
  );
});

describe.each(BUILTIN)('block %s', (name) => {
  test('output shape, unique layer names, increasing depth indices, finite gradients for every parameter', () => {
    const c = smallest(name);
    const t = traceModel(c, [8, 8, 3], 10);
    expect(t.outputShape).toEqual([1, 10]);
    const names = t.layers.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(t.params.map((p) => p.name)).size).toBe(t.params.length);
    t.layers.forEach((l, i) => expect(l.depthIndex).toBe(i + 1));
    expect(t.layers[0].name).toBe('stem.conv');
    expect(t.layers[t.layers.length - 1].name).toBe('head.dense');
    // Stage 3 block 1 outputs 4 * width * expansion channels at 2x2.
    const last = t.ops.filter((o) => o.name.startsWith('stage3.block1')).pop()!;
    expect(last.outShape).toEqual([1, 2, 2, 16 * getBlock(name).expansion]);

    const model = buildModel(c, [8, 8, 3], 10, 11);
    const grads = oneBackwardPass(model, 2);
    expect(grads.size).toBe(model.params.filter((p) => p.trainable).length);
    for (const [param, g] of grads)
      expect([param, g !== null && g.every(Number.isFinite)]).toEqual([param, true]);
    model.dispose();
  });
});

/** The block alone, at stride 1 with matching channels, its output flattened into the "logits". */
function soloBlock(name: string, norm: 'batch' | 'none', channels = 4): NetworkSpec {
  const block = getBlock(name);
  return {
    name: `solo-${name}`,
    residual: block.residual,
    settings: { norm, activation: 'relu', init: 'he' },
    build: (x, ctx) =>
      ctx.flatten(
        block.build(x, ctx.scope('b'), {
          filters: channels / block.expansion,
          stride: 1,
          shortcut: 'A',
          index: 0,
          numBlocks: 8,
          options: {},
        }),
      ),
  };
}

describe.each(['rezero', 'skipinit', 'fixup'])('%s is the identity at initialisation', (name) => {
  test.each(['none', 'batch'] as const)('norm %s, training and inference', (norm) => {
    const model = instantiate(soloBlock(name, norm), [4, 4, 4], 64, 3);
    tf.tidy(() => {
      // Fixup ends in a ReLU after the addition, so its identity holds for non-negative inputs.
      const x = tf.randomUniform([2, 4, 4, 4], name === 'fixup' ? 0 : -1, 1, 'float32', 5);
      for (const training of [true, false]) {
        const y = model.forward(x, { training }).logits;
        expect(Array.from(y.dataSync())).toEqual(Array.from(x.reshape([2, 64]).dataSync()));
      }
    });
    model.dispose();
  });
});

test('basic is not the identity at initialisation (the identity tests can fail)', () => {
  const model = instantiate(soloBlock('basic', 'batch'), [4, 4, 4], 64, 3);
  tf.tidy(() => {
    const x = tf.randomUniform([2, 4, 4, 4], 0, 1, 'float32', 5);
    const y = model.forward(x, { training: true }).logits;
    expect(tf.max(tf.abs(y.sub(x.reshape([2, 64])))).dataSync()[0]).toBeGreaterThan(1e-3);
  });
  model.dispose();
});

test('fixup scales its first conv by L^(-1/2) and zero-initialises the last one', () => {
  const one = instantiate(soloBlock('fixup', 'none', 16), [4, 4, 16], 256, 1);
  const std = (n: string) =>
    tf.tidy(
      () =>
        tf
          .moments(one.params.find((p) => p.name === n)!.variable)
          .variance.sqrt()
          .dataSync()[0],
    );
  // He std for 3x3x16 fan-in is sqrt(2/144) = 0.118; L = 8 blocks gives 0.118 / sqrt(8) = 0.042.
  expect(std('b.conv1.kernel')).toBeCloseTo(Math.sqrt(2 / 144) / Math.sqrt(8), 2);
  expect(std('b.conv2.kernel')).toBe(0);
  expect(one.params.filter((p) => /bias\d[ab]\.bias$/.test(p.name))).toHaveLength(4);
  one.dispose();
  // ... and the classifier starts at zero (Fixup), unlike other blocks'.
  const head = (block: string) =>
    traceModel(smallest(block), [8, 8, 3], 10).params.find((p) => p.name === 'head.dense.kernel')!.init;
  expect(head('fixup')).toEqual({ type: 'fill', value: 0 });
  // Other heads are variance-preserving (LeCun): no ReLU follows the classifier.
  expect(head('basic')).toMatchObject({ type: 'random', kind: 'lecun' });
});

test('preact nets have a bare stem conv and a final norm; option B projections add shortcut convs', () => {
  const t = traceModel(smallest('preact'), [8, 8, 3], 10);
  expect(t.params.some((p) => p.name === 'stem.bn.gamma')).toBe(false);
  expect(t.params.some((p) => p.name === 'final.bn.gamma')).toBe(true);
  const b = traceModel(cfg({ family: 'cifar', depth: 8, width: 4, shortcut: 'B' }), [8, 8, 3], 10);
  expect(b.layers.filter((l) => l.name.endsWith('shortcut.conv')).map((l) => l.name)).toEqual([
    'stage2.block1.shortcut.conv',
    'stage3.block1.shortcut.conv',
  ]);
  const c = traceModel(cfg({ family: 'cifar', depth: 8, width: 4, shortcut: 'C' }), [8, 8, 3], 10);
  expect(c.layers.filter((l) => l.name.endsWith('shortcut.conv'))).toHaveLength(3);
});

test('block options are validated against the block', () => {
  expect(() => traceModel(cfg({ block: 'basic', blockOptions: { shortcut: 'D' } }), [8, 8, 3], 10)).toThrow(
    /blockOptions for block "basic".*shortcut/,
  );
  expect(() => traceModel(cfg({ block: 'plain', blockOptions: { gate: 1 } }), [8, 8, 3], 10)).toThrow(
    /unknown option\(s\) gate/,
  );
});
