// Importing a TF.js LayersModel with Keras application names into built-in gradflow models, checked
// against TF.js's own predict(). Full VGG16 / ResNet50 with ImageNet heads are too heavy for a
// test; the (generic) rules are exercised on vgg11 at 32x32 with a 32-unit classifier, and on a
// CIFAR-family bottleneck ResNet, which shares resnet50's parameter names (stem, stageS.blockB.convI
// / bnI, shortcut.conv / bn, head.dense) at a few thousand parameters.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelConfig, TransferConfig } from '../../src/config/schema.js';
import { buildModel } from '../../src/models/index.js';
import type { Model } from '../../src/models/types.js';
import { readManifest } from '../../src/store/run-dir.js';
import { applyTransfer } from '../../src/train/transfer.js';
import { writeImportedRun } from '../../src/weights/imported-run.js';
import { importLayersModel } from '../../src/weights/layers-model.js';
import {
  fillWeights,
  kerasResnetBottleneck,
  kerasVgg,
  savedWeights,
  writeLayersModelDir,
  type SavedWeight,
} from './keras-models.js';

const VGG_INPUT = [32, 32, 3];
const VGG_CONFIG = ModelConfig.parse({
  family: 'vgg',
  variant: 'vgg11',
  blockOptions: { classifierWidth: 32 },
});
const RES_INPUT = [16, 16, 3];
const RES_CONFIG = ModelConfig.parse({
  family: 'cifar',
  block: 'bottleneck',
  depth: 20,
  width: 8,
  shortcut: 'B',
});
const RES_SHAPE = { stem: { kernel: 3, stride: 1, maxPool: false }, widths: [8, 16, 32], blocks: [2, 2, 2] };

let root: string;

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
const maxAbs = (a: tf.Tensor) => tf.tidy(() => a.abs().max().dataSync()[0]);
const param = (m: Model, name: string) => m.params.find((p) => p.name === name)!;
const logitsOf = (m: Model, input: tf.Tensor) => tf.tidy(() => m.forward(input, { training: false }).logits);

/** A copy of the saved weights with one entry replaced (or removed, with null). */
function edited(weights: SavedWeight[], name: string, replacement: SavedWeight | null): SavedWeight[] {
  const i = weights.findIndex((w) => w.spec.name === name);
  if (i < 0) throw new Error(`test setup: no weight ${name}`);
  const out = [...weights];
  if (replacement) out[i] = replacement;
  else out.splice(i, 1);
  return out;
}

const constantWeight = (name: string, shape: number[]): SavedWeight => ({
  spec: { name, shape, dtype: 'float32' },
  bytes: new Uint8Array(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.01).buffer),
});

/**
 * A Keras model as TF.js saves it (model.json and `shards` weight files) in root/`name`, its weights
 * filled from seed `fill`, with its logits on `x`.
 */
async function savedKerasModel(
  name: string,
  keras: tf.LayersModel,
  x: tf.Tensor,
  opts: { fill: number; shards: number },
) {
  fillWeights(keras, opts.fill);
  const { topology, weights } = await savedWeights(keras);
  const kerasLogits = keras.predict(x) as tf.Tensor;
  keras.dispose();
  const dir = join(root, name);
  writeLayersModelDir(dir, topology, weights, opts.shards);
  return { topology, weights, kerasLogits, dir };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'gradflow-weights-'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('importLayersModel: VGG (Keras block{S}_conv{C} / fc1 / fc2 / predictions)', () => {
  let x: tf.Tensor;
  let kerasLogits: tf.Tensor;
  let dir: string;
  let model: Model;

  beforeAll(async () => {
    x = tf.randomNormal([3, ...VGG_INPUT], 0, 1, 'float32', 7);
    const keras = kerasVgg('vgg11', VGG_INPUT, 32, 10);
    ({ kerasLogits, dir } = await savedKerasModel('vgg11', keras, x, { fill: 1, shards: 3 }));
    model = buildModel(VGG_CONFIG, VGG_INPUT, 10, 1);
  });
  afterAll(() => {
    tf.dispose([x, kerasLogits]);
    model.dispose();
  });

  test('gives the logits of TF.js predict (max abs error <= 1e-4) and maps every weight once', () => {
    const before = tf.memory().numTensors;
    const result = importLayersModel(dir, model);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.mapped).toHaveLength(22); // 8 convs + fc1, fc2, predictions; kernel and bias each
    expect(new Set(result.mapped.map((m) => m.to))).toEqual(new Set(model.params.map((p) => p.name)));
    expect(result.mapped.find((m) => m.from === 'block3_conv2/kernel')).toEqual({
      from: 'block3_conv2/kernel',
      to: 'stage3.conv2.kernel',
      shape: [3, 3, 256, 256],
    });
    expect(result.skipped).toEqual([]);
    const logits = logitsOf(model, x);
    expect(logits.shape).toEqual([3, 10]);
    expect(maxAbs(kerasLogits)).toBeGreaterThan(0.05); // a real signal, not a vanished one
    expect(maxAbsDiff(logits, kerasLogits)).toBeLessThanOrEqual(1e-4);
    logits.dispose();
  });
});

describe('importLayersModel: ResNet (Keras conv{K}_block{B}_{i}_conv/_bn, biased convs)', () => {
  let x: tf.Tensor;
  let topology: object;
  let weights: SavedWeight[];
  let kerasLogits: tf.Tensor;
  let dir: string;

  beforeAll(async () => {
    x = tf.randomNormal([4, ...RES_INPUT], 0, 1, 'float32', 8);
    // Keras' default batch-norm epsilon (1e-3), far from gradflow's 1e-5, so the adjustment shows.
    const keras = kerasResnetBottleneck(RES_SHAPE, RES_INPUT, 10, 1e-3);
    ({ topology, weights, kerasLogits, dir } = await savedKerasModel('resnet', keras, x, {
      fill: 2,
      shards: 2,
    }));
  });
  afterAll(() => tf.dispose([x, kerasLogits]));

  test('conv biases fold into the next batch norm, epsilon into the variance: the logits of predict', () => {
    const model = buildModel(RES_CONFIG, RES_INPUT, 10, 1);
    const result = importLayersModel(dir, model);
    expect(result.mapped).toHaveLength(weights.length);
    expect(result.mapped.find((m) => m.from === 'conv3_block1_0_conv/bias')).toEqual({
      from: 'conv3_block1_0_conv/bias',
      to: 'stage2.block1.shortcut.bn.moving_mean',
      shape: [64],
      note: 'conv bias folded into the batch norm',
    });
    expect(result.mapped.find((m) => m.from === 'conv1_bn/moving_variance')?.note).toBe(
      "plus 9.900e-4: Keras' epsilon 0.001 vs gradflow's 0.00001",
    );
    expect(result.notes).toEqual([]);
    const logits = logitsOf(model, x);
    expect(maxAbs(kerasLogits)).toBeGreaterThan(0.05);
    expect(maxAbsDiff(logits, kerasLogits)).toBeLessThanOrEqual(1e-4);
    logits.dispose();
    model.dispose();
  });

  test('a weight of the wrong shape is refused, naming it and both shapes; nothing is written', () => {
    const wrong = join(root, 'resnet-wrong-shape');
    writeLayersModelDir(
      wrong,
      topology,
      edited(
        weights,
        'conv3_block2_2_conv/kernel',
        constantWeight('conv3_block2_2_conv/kernel', [3, 3, 32, 16]),
      ),
    );
    const model = buildModel(RES_CONFIG, RES_INPUT, 10, 1);
    const initial = param(model, 'stem.conv.kernel').variable.dataSync().slice();
    expect(() => importLayersModel(wrong, model)).toThrow(
      "conv3_block2_2_conv/kernel: shape [3,3,32,16] in the file, gradflow's cifar-bottleneck-d20 stage2.block2.conv2.kernel is [3,3,16,16]",
    );
    expect(param(model, 'stem.conv.kernel').variable.dataSync()).toEqual(initial); // the valid weights were not copied either
    model.dispose();
  });

  test('a missing weight is refused, naming the parameter and the Keras weight expected', () => {
    const missing = join(root, 'resnet-missing');
    writeLayersModelDir(missing, topology, edited(weights, 'conv3_block2_2_bn/moving_variance', null));
    const model = buildModel(RES_CONFIG, RES_INPUT, 10, 1);
    expect(() => importLayersModel(missing, model)).toThrow(
      'stage2.block2.bn2.moving_variance [16] of cifar-bottleneck-d20: no weight in the file (expected conv3_block2_2_bn/moving_variance in the file)',
    );
    model.dispose();
  });

  test('a weight no rule maps is refused, naming it', () => {
    const extra = join(root, 'resnet-extra');
    writeLayersModelDir(extra, topology, [...weights, constantWeight('aux_logits/kernel', [128, 10])]);
    const model = buildModel(RES_CONFIG, RES_INPUT, 10, 1);
    expect(() => importLayersModel(extra, model)).toThrow('aux_logits/kernel: no gradflow counterpart');
    model.dispose();
  });

  test('a model with layers the file lacks (projection shortcuts everywhere, option C) lists them', () => {
    const model = buildModel({ ...RES_CONFIG, shortcut: 'C' }, RES_INPUT, 10, 1);
    expect(() => importLayersModel(dir, model)).toThrow(
      /15 problems[\s\S]*stage1\.block2\.shortcut\.conv\.kernel \[1,1,32,32\] of cifar-bottleneck-d20: no weight in the file \(expected conv2_block2_0_conv\/kernel in the file\)/,
    );
    model.dispose();
  });

  test('a non-float32 weight and a missing shard are refused with the file named', () => {
    const int = join(root, 'resnet-int32');
    const kernel = weights.find((w) => w.spec.name === 'predictions/kernel')!;
    writeLayersModelDir(
      int,
      topology,
      edited(weights, 'predictions/kernel', { ...kernel, spec: { ...kernel.spec, dtype: 'int32' } }),
    );
    const model = buildModel(RES_CONFIG, RES_INPUT, 10, 1);
    expect(() => importLayersModel(int, model)).toThrow(
      /model\.json: weight predictions\/kernel is int32; only float32 weights/,
    );
    const shardless = join(root, 'resnet-shardless');
    writeLayersModelDir(shardless, topology, weights, 2);
    rmSync(join(shardless, 'group1-shard2of2.bin'));
    expect(() => importLayersModel(shardless, model)).toThrow(
      /weight shard group1-shard2of2\.bin is missing/,
    );
    model.dispose();
  });

  test('uint8-quantized weights (tensorflowjs_converter --quantize_uint8) are dequantized: min + scale * q', () => {
    const quantized = join(root, 'resnet-uint8');
    const shape = [1, 1, 32, 128]; // conv4_block2_3_conv: 1x1, 32 -> 128 channels
    const q = Uint8Array.from({ length: 32 * 128 }, (_, i) => (i * 37) % 256);
    const entry: SavedWeight = {
      spec: {
        name: 'conv4_block2_3_conv/kernel',
        shape,
        dtype: 'float32',
        quantization: { dtype: 'uint8', scale: 0.01, min: -1.2 },
      },
      bytes: q,
    };
    writeLayersModelDir(quantized, topology, edited(weights, 'conv4_block2_3_conv/kernel', entry), 3);
    const model = buildModel(RES_CONFIG, RES_INPUT, 10, 1);
    importLayersModel(quantized, model);
    const got = param(model, 'stage3.block2.conv3.kernel').variable.dataSync();
    expect(got[5]).toBeCloseTo(-1.2 + 0.01 * q[5], 6);
    expect(got[4000]).toBeCloseTo(-1.2 + 0.01 * q[4000], 6);
    model.dispose();
  });

  test('another class count leaves head.dense at its init; the run directory is a transfer source', async () => {
    const model = buildModel(RES_CONFIG, RES_INPUT, 5, 1);
    const result = importLayersModel(dir, model);
    expect(result.skipped).toEqual([
      { param: 'head.dense.kernel', reason: 'the file has 10 classes, the model 5' },
      { param: 'head.dense.bias', reason: 'the file has 10 classes, the model 5' },
    ]);
    expect(result.sourceClasses).toBe(10);
    const runDir = join(root, 'imported', 'resnet-keras');
    await writeImportedRun(runDir, dir, model, RES_CONFIG, result);
    expect(readManifest(runDir)).toMatchObject({
      id: 'resnet-keras',
      experiment: 'imported',
      status: 'completed',
      steps: 0,
      residual: true,
    });
    expect(JSON.parse(readFileSync(join(runDir, 'import.json'), 'utf8')).mapped).toHaveLength(
      weights.length - 2,
    );

    // A fresh model of the same architecture (3 classes) starts from it through the transfer path.
    const target = buildModel(RES_CONFIG, RES_INPUT, 3, 9);
    const plan = applyTransfer(target, TransferConfig.parse({ from: runDir, mode: 'linear' }), root);
    expect(plan.loaded).toBe(target.params.length - 2); // everything but head.dense
    const kernel = weights.find((w) => w.spec.name === 'conv4_block2_2_conv/kernel')!;
    expect(param(target, 'stage3.block2.conv2.kernel').variable.dataSync()).toEqual(
      new Float32Array(kernel.bytes.slice().buffer),
    );
    model.dispose();
    target.dispose();
  });

  test("Keras' v1 stride placement is reported in the notes", () => {
    const v1 = JSON.parse(JSON.stringify(topology));
    v1.config.layers.find((l: { name: string }) => l.name === 'conv3_block1_1_conv').config.strides = [2, 2];
    const v1Dir = join(root, 'resnet-v1');
    writeLayersModelDir(v1Dir, v1, weights, 1);
    const model = buildModel(RES_CONFIG, RES_INPUT, 10, 1);
    const result = importLayersModel(v1Dir, model);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(
      /^conv3_block1_1_conv stride 2 \(ResNet v1\); gradflow's ResNets stride the 3x3 conv/,
    );
    writeFileSync(join(v1Dir, 'model.json'), '{');
    expect(() => importLayersModel(v1Dir, model)).toThrow(/resnet-v1\/model\.json: not valid JSON/);
    model.dispose();
  });
});
