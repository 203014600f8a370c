// Keras-application-style networks built with tf.layers (the layer names keras.applications uses),
// and a writer for the LayersModel format tensorflowjs_converter produces: model.json + shards.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VGG_STAGES } from '../../src/models/vgg.js';

/** keras.applications.VGG* topology at any input size, with a narrower classifier (null: include_top=False). */
export function kerasVgg(
  variant: keyof typeof VGG_STAGES,
  inputShape: number[],
  classifierWidth: number | null,
  classes: number,
): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  let x = input as tf.SymbolicTensor;
  let stage = 1;
  let conv = 1;
  for (const layer of VGG_STAGES[variant]) {
    if (layer === 'M') {
      x = tf.layers
        .maxPooling2d({ poolSize: 2, strides: 2, name: `block${stage}_pool` })
        .apply(x) as tf.SymbolicTensor;
      stage += 1;
      conv = 1;
    } else {
      x = tf.layers
        .conv2d({
          filters: layer,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: 'zeros',
          name: `block${stage}_conv${conv++}`,
        })
        .apply(x) as tf.SymbolicTensor;
    }
  }
  if (classifierWidth === null) return tf.model({ inputs: input, outputs: x, name: variant });
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ units: classifierWidth, activation: 'relu', kernelInitializer: 'zeros', name: 'fc1' })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ units: classifierWidth, activation: 'relu', kernelInitializer: 'zeros', name: 'fc2' })
    .apply(x) as tf.SymbolicTensor;
  // Linear, so predict() returns logits to compare (the real application applies softmax here).
  const out = tf.layers
    .dense({ units: classes, kernelInitializer: 'zeros', name: 'predictions' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: variant });
}

export interface ResnetShape {
  stem: { kernel: number; stride: number; maxPool: boolean }; // ResNet50: 7x7/2 + 3x3/2 max pool
  widths: number[]; // branch filters per stage (x4 out)
  blocks: number[];
}

/**
 * keras.applications.ResNet50 names (biased convs, conv{K}_block{B}_{i}_conv/_bn, 0 = projection)
 * with torchvision's v1.5 arithmetic (stride on the 3x3, floor(k/2) padding), so logits can match
 * exactly. Any stage table: gradflow's resnet50 and its CIFAR-family bottleneck nets share the names.
 */
export function kerasResnetBottleneck(
  shape: ResnetShape,
  inputShape: number[],
  classes: number,
  epsilon: number,
): tf.LayersModel {
  // Strided convs pad floor(k/2) on every side as Keras' own stems do (ZeroPadding2D + 'valid'): Keras'
  // 'same' would pad 0 before and 1 after, not what torchvision (and gradflow) do.
  const conv = (x: tf.SymbolicTensor, name: string, filters: number, kernelSize: number, strides = 1) => {
    const padded =
      strides > 1 && kernelSize > 1
        ? (tf.layers
            .zeroPadding2d({ padding: Math.floor(kernelSize / 2), name: name.replace(/_conv$/, '_pad') })
            .apply(x) as tf.SymbolicTensor)
        : x;
    const padding = strides > 1 && kernelSize > 1 ? 'valid' : 'same';
    return tf.layers
      .conv2d({ filters, kernelSize, strides, padding, kernelInitializer: 'zeros', name })
      .apply(padded) as tf.SymbolicTensor;
  };
  const bn = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.batchNormalization({ axis: -1, epsilon, name }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: inputShape });
  let x = relu(
    bn(conv(input, 'conv1_conv', shape.widths[0], shape.stem.kernel, shape.stem.stride), 'conv1_bn'),
    'conv1_relu',
  );
  if (shape.stem.maxPool) {
    x = tf.layers.zeroPadding2d({ padding: 1, name: 'pool1_pad' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'pool1_pool' })
      .apply(x) as tf.SymbolicTensor;
  }
  shape.blocks.forEach((count, s) => {
    const filters = shape.widths[s];
    for (let b = 1; b <= count; b++) {
      const p = `conv${s + 2}_block${b}`;
      const stride = b === 1 && s > 0 ? 2 : 1;
      const shortcut = b === 1 ? bn(conv(x, `${p}_0_conv`, 4 * filters, 1, stride), `${p}_0_bn`) : x;
      let y = relu(bn(conv(x, `${p}_1_conv`, filters, 1), `${p}_1_bn`), `${p}_1_relu`);
      y = relu(bn(conv(y, `${p}_2_conv`, filters, 3, stride), `${p}_2_bn`), `${p}_2_relu`);
      y = bn(conv(y, `${p}_3_conv`, 4 * filters, 1), `${p}_3_bn`);
      x = relu(tf.layers.add({ name: `${p}_add` }).apply([shortcut, y]) as tf.SymbolicTensor, `${p}_out`);
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: classes, kernelInitializer: 'zeros', name: 'predictions' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'resnet' });
}

/**
 * Deterministic pseudo-random values in [-0.5, 0.5) from tensor ops (fract(sin(i) * 43758.5453)),
 * far cheaper than TF.js's JS-side random generators for millions of weights.
 */
function pattern(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const n = shape.reduce((a, b) => a * b, 1);
    const s = tf
      .sin(
        tf
          .range(0, n, 1, 'float32')
          .mul(12.9898)
          .add(seed * 78.233),
      )
      .mul(43758.5453);
    return s.sub(s.floor()).sub(0.5).reshape(shape);
  });
}

/**
 * Every weight set to seeded values: kernels scaled like He init (std sqrt(2 / fan-in)), and
 * non-zero biases, betas and moving means, non-unit gammas and variances, so a mapping that drops
 * a bias, a moving statistic or an epsilon shows in the logits.
 */
export function fillWeights(model: tf.LayersModel, seed: number): void {
  let n = seed;
  for (const layer of model.layers) {
    const keys = layer.weights.map((v) => v.originalName.split('/').pop() ?? '');
    const values = layer.weights.map((v, i) => {
      const key = keys[i];
      const shape = v.shape as number[];
      const s = ++n;
      return tf.tidy(() => {
        const p = pattern(shape, s);
        if (key === 'kernel') return p.mul(Math.sqrt(24 / shape.slice(0, -1).reduce((a, b) => a * b, 1)));
        if (key === 'gamma' || key === 'moving_variance') return p.add(1); // 0.5 .. 1.5
        return p.mul(0.4); // bias, beta, moving_mean: -0.2 .. 0.2
      });
    });
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
}

export interface SavedWeight {
  spec: tf.io.WeightsManifestEntry;
  bytes: Uint8Array;
}

/** The model's weights, as the entries and bytes its own save handler receives. */
export async function savedWeights(
  model: tf.LayersModel,
): Promise<{ topology: object; weights: SavedWeight[] }> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = artifacts! as tf.io.ModelArtifacts;
  const data = new Uint8Array(a.weightData as ArrayBuffer);
  let offset = 0;
  const weights = a.weightSpecs!.map((spec) => {
    const length = spec.shape.reduce((p, d) => p * d, 1) * 4;
    const bytes = data.subarray(offset, offset + length);
    offset += length;
    return { spec, bytes };
  });
  return { topology: a.modelTopology as object, weights };
}

/** model.json + the weight bytes cut into `shards` files, as tensorflowjs_converter lays them out. */
export function writeLayersModelDir(dir: string, topology: object, weights: SavedWeight[], shards = 2): void {
  mkdirSync(dir, { recursive: true });
  const total = weights.reduce((n, w) => n + w.bytes.length, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const w of weights) {
    all.set(w.bytes, offset);
    offset += w.bytes.length;
  }
  // Cut at arbitrary points, not at weight boundaries: shards are a byte stream.
  const cut = Math.ceil(total / shards);
  const paths: string[] = [];
  for (let i = 0; i < shards; i++) {
    const path = `group1-shard${i + 1}of${shards}.bin`;
    writeFileSync(join(dir, path), all.subarray(i * cut, Math.min(total, (i + 1) * cut)));
    paths.push(path);
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'gradflow test',
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths, weights: weights.map((w) => w.spec) }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
}
