// Reading a TF.js LayersModel from disk: `model.json` (topology + weightsManifest) and its binary
// weight shards, as `tensorflowjs_converter` and tf.LayersModel.save write them. Parsed with node fs
// (tfjs-node's file:// handler is not available here). Every weight comes back as float32.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../ground/errors.js';

export interface SourceWeight {
  name: string; // as in the manifest, e.g. block1_conv1/kernel
  shape: number[];
  data: Float32Array;
}

/** The parts of a Keras layer config the importer needs, keyed by layer name. */
export interface SourceLayer {
  name: string;
  className: string; // Conv2D, Dense, BatchNormalization, ...
  config: Record<string, unknown>;
}

export interface LayersModelFiles {
  modelJson: string; // path, for messages
  layers: Map<string, SourceLayer>;
  weights: SourceWeight[];
}

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

const BYTES: Record<string, number> = { float32: 4, uint16: 2, uint8: 1, float16: 2 };
const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** model.json alone: the layer configs and the weights manifest (no shard is read). */
export function readModelJson(dir: string): {
  modelJson: string;
  layers: Map<string, SourceLayer>;
  manifest: ManifestGroup[];
} {
  const modelJson = join(dir, 'model.json');
  if (!existsSync(modelJson))
    throw new UserError(`${dir}: no model.json (expected a TF.js LayersModel directory)`);
  let json: { modelTopology?: unknown; weightsManifest?: ManifestGroup[]; format?: string };
  try {
    json = JSON.parse(readFileSync(modelJson, 'utf8'));
  } catch (e) {
    throw new UserError(`${modelJson}: not valid JSON (${(e as Error).message})`);
  }
  if (json.format === 'graph-model') {
    throw new UserError(
      `${modelJson}: a TF.js GraphModel has no layer names to map; convert the Keras model as a LayersModel (--output_format tfjs_layers_model)`,
    );
  }
  if (!Array.isArray(json.weightsManifest)) throw new UserError(`${modelJson}: no weightsManifest array`);
  const layers = new Map<string, SourceLayer>();
  collectLayers(json.modelTopology, layers);
  return { modelJson, layers, manifest: json.weightsManifest };
}

export function readLayersModel(dir: string): LayersModelFiles {
  const { modelJson, layers, manifest } = readModelJson(dir);
  const weights: SourceWeight[] = [];
  manifest.forEach((group, g) => {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new UserError(`${modelJson}: weightsManifest[${g}] needs "paths" and "weights" arrays`);
    }
    const buffer = Buffer.concat(group.paths.map((p) => readShard(dir, p, modelJson)));
    let offset = 0;
    for (const entry of group.weights) {
      const bytes = entryBytes(entry, modelJson);
      if (offset + bytes > buffer.length) {
        throw new UserError(
          `${modelJson}: weight ${entry.name} needs bytes ${offset}..${offset + bytes} of weightsManifest[${g}]'s shards (${group.paths.join(', ')}), which hold ${buffer.length}`,
        );
      }
      const slice = buffer.subarray(offset, offset + bytes);
      offset += bytes;
      if (entry.group === 'optimizer') continue; // saved optimiser slots are not weights of the network
      weights.push({ name: stripSuffix(entry.name), shape: entry.shape, data: decode(entry, slice) });
    }
  });
  return { modelJson, layers, weights };
}

function readShard(dir: string, path: string, modelJson: string): Buffer {
  const full = join(dir, path);
  if (!existsSync(full) || !statSync(full).isFile())
    throw new UserError(`${modelJson}: weight shard ${path} is missing (looked for ${full})`);
  return readFileSync(full);
}

function entryBytes(entry: tf.io.WeightsManifestEntry, modelJson: string): number {
  const stored = entry.quantization?.dtype ?? entry.dtype;
  if (entry.dtype !== 'float32' || !(stored in BYTES)) {
    throw new UserError(
      `${modelJson}: weight ${entry.name} is ${entry.dtype}${entry.quantization ? ` quantized to ${stored}` : ''}; only float32 weights (optionally quantized to uint8, uint16 or float16) can be imported`,
    );
  }
  if (!Array.isArray(entry.shape) || entry.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new UserError(
      `${modelJson}: weight ${entry.name} has an invalid shape ${JSON.stringify(entry.shape)}`,
    );
  }
  return product(entry.shape) * BYTES[stored];
}

function decode(entry: tf.io.WeightsManifestEntry, bytes: Buffer): Float32Array {
  if (!entry.quantization) {
    // Copy into a fresh, aligned buffer (a shard offset need not be a multiple of 4).
    const out = new Float32Array(bytes.length / 4);
    new Uint8Array(out.buffer).set(bytes);
    if (out.some((v) => !Number.isFinite(v)))
      throw new UserError(`weight ${entry.name} holds NaN or infinite values`);
    return out;
  }
  // Dequantisation (affine uint8/uint16, float16) is TF.js's own, so it matches what loadLayersModel does.
  // It computes in JavaScript, so the tensor holds host values and dataSync works on every backend.
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const map = tf.io.decodeWeights(ab, [entry]);
  const t = map[entry.name];
  try {
    return Float32Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
}

/** TF variable names may carry an output index (`kernel:0`); the manifest's usually do not. */
const stripSuffix = (name: string) => name.replace(/:\d+$/, '');

/** Walk a Keras topology (tfjs or converter flavour, nested models included) for layer configs. */
function collectLayers(node: unknown, out: Map<string, SourceLayer>): void {
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (obj.model_config) return collectLayers(obj.model_config, out);
  const config = obj.config as Record<string, unknown> | unknown[] | undefined;
  const list = Array.isArray(config)
    ? config
    : Array.isArray((config as Record<string, unknown>)?.layers)
      ? ((config as Record<string, unknown>).layers as unknown[])
      : null;
  if (!list) return;
  for (const item of list) {
    const layer = item as { class_name?: string; config?: Record<string, unknown>; name?: string };
    const name = (layer.config?.name as string | undefined) ?? layer.name;
    if (name && layer.class_name)
      out.set(name, { name, className: layer.class_name, config: layer.config ?? {} });
    collectLayers(layer, out); // a nested Model / Sequential (e.g. the application inside a wrapper)
  }
}
