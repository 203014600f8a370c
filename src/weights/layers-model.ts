// Importing a TF.js LayersModel (Keras' VGG / ResNet applications as tensorflowjs_converter writes
// them) into a built-in gradflow model, layer by layer (rules in keras-names.ts). Everything is
// checked before any variable is written: an unmapped source weight, a mis-shaped one, or a
// gradflow parameter the file leaves empty is an error naming it.
//
// Conventions, chosen so the imported model computes what Keras computes in inference mode:
// - Conv kernels are HWIO and dense kernels [in, out] in both, and both flatten NHWC, so
//   VGG's fc1 takes Keras' flatten order unchanged.
// - A conv bias where gradflow's conv has none (Keras' ResNets use biased convs, torchvision's
//   don't) folds into the next batch norm: moving_mean -= bias. Exact, in inference and in training
//   (batch statistics absorb a per-channel constant too).
// - Keras' batch-norm epsilon (1.001e-5 in the ResNets, 1e-3 by default) becomes gradflow's 1e-5 by
//   moving_variance += eps_keras - 1e-5, so var + eps is unchanged.
// - The head: when the file's class count differs from the model's, head.dense keeps its seeded
//   initialisation (reported in `skipped`); a file with no classifier at all (include_top=False)
//   leaves every head.* parameter so. Transfer replaces the head anyway.
// - What weights cannot fix is reported in `notes` from the topology: Keras' ResNet v1 strides the
//   first 1x1 conv of a downsampling block where torchvision's v1.5 strides the 3x3 (such an import is
//   a good starting point for fine-tuning but does not reproduce Keras' logits), and a ZeroPadding2D
//   that pads unequally before and after, which gradflow's symmetric padding does not. The ResNets'
//   ZeroPadding2D(3) + 'valid' 7x7 stem and ZeroPadding2D(1) + 'valid' max pool are what gradflow's
//   symmetric padding does (zeros before a max pool of ReLU outputs are as good as -inf).
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../ground/errors.js';
import { BN_EPSILON } from '../models/tensor-ops.js';
import type { Model, ParamInfo } from '../models/types.js';
import { gradflowLayerFor, kerasLayerFor, normAfter, splitWeightName, WEIGHT_KEYS } from './keras-names.js';
import { readLayersModel, type LayersModelFiles, type SourceWeight } from './layers-model-files.js';

export interface MappedWeight {
  from: string; // source weight, e.g. block1_conv1/kernel
  to: string; // gradflow parameter, e.g. stage1.conv1.kernel
  shape: number[];
  note?: string; // how the value was adjusted, if it was
}

export interface ImportResult {
  mapped: MappedWeight[];
  /** gradflow parameters left at their seeded initialisation, and why. */
  skipped: { param: string; reason: string }[];
  /** Differences between the source network and gradflow's that weights cannot carry. */
  notes: string[];
  /** Units of the file's `predictions` layer, if it has one. */
  sourceClasses: number | null;
}

const KERAS_BN_DEFAULT_EPSILON = 1e-3;
const MAX_LISTED_PROBLEMS = 8;
const shapeText = (s: readonly number[]) => `[${s.join(',')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

interface Planned {
  weight: SourceWeight;
  param: ParamInfo;
  data: Float32Array;
  note?: string;
}

export function importLayersModel(dir: string, target: Model): ImportResult {
  const files = readLayersModel(dir);
  const params = new Map(target.params.map((p) => [p.name, p]));
  const planned = new Map<string, Planned>();
  const folds: { weight: SourceWeight; norm: string }[] = [];
  const skipped: ImportResult['skipped'] = [];
  const problems: string[] = [];
  const where = `gradflow's ${target.name}`;

  for (const w of files.weights) {
    const split = splitWeightName(w.name);
    const layer = split && gradflowLayerFor(split.layer);
    const key = split && WEIGHT_KEYS[split.key];
    if (!split || !layer || !key) {
      problems.push(
        `${w.name}: no gradflow counterpart (no rule maps Keras layer "${split?.layer ?? w.name}" weight "${split?.key ?? ''}")`,
      );
      continue;
    }
    const name = `${layer}.${key}`;
    const param = params.get(name);
    if (!param) {
      const norm = normAfter(layer);
      if (key === 'bias' && params.has(`${layer}.kernel`) && norm && params.has(`${norm}.moving_mean`)) {
        folds.push({ weight: w, norm });
      } else {
        problems.push(`${w.name}: ${where} has no parameter ${name}`);
      }
      continue;
    }
    if (!sameShape(w.shape, param.shape)) {
      if (layer === 'head.dense' && classCountOnly(w.shape, param.shape)) {
        skipped.push({
          param: name,
          reason: `the file has ${w.shape[w.shape.length - 1]} classes, the model ${target.numClasses}`,
        });
      } else {
        problems.push(
          `${w.name}: shape ${shapeText(w.shape)} in the file, ${where} ${name} is ${shapeText(param.shape)}`,
        );
      }
      continue;
    }
    if (planned.has(name)) {
      problems.push(`${w.name}: ${name} is already filled from ${planned.get(name)!.weight.name}`);
      continue;
    }
    planned.set(name, { weight: w, param, data: w.data });
  }

  for (const { weight, norm } of folds) foldBias(weight, norm, planned, problems);
  adjustEpsilons(files, planned, problems);
  checkUnfilled(target, planned, skipped, problems);
  if (problems.length > 0) {
    const more =
      problems.length > MAX_LISTED_PROBLEMS
        ? `\n  ... and ${problems.length - MAX_LISTED_PROBLEMS} more`
        : '';
    throw new UserError(
      `${files.modelJson} does not fit ${where} (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  ${problems.slice(0, MAX_LISTED_PROBLEMS).join('\n  ')}${more}`,
    );
  }

  for (const p of planned.values()) {
    tf.tidy(() => p.param.variable.assign(tf.tensor(p.data, p.param.shape)));
  }
  const mapped: MappedWeight[] = [...planned.values()].map((p) => ({
    from: p.weight.name,
    to: p.param.name,
    shape: p.param.shape,
    ...(p.note ? { note: p.note } : {}),
  }));
  for (const { weight, norm } of folds)
    mapped.push({
      from: weight.name,
      to: `${norm}.moving_mean`,
      shape: weight.shape,
      note: 'conv bias folded into the batch norm',
    });
  const predictions = files.weights.find(
    (w) => splitWeightName(w.name)?.layer === 'predictions' && w.shape.length === 1,
  );
  return {
    mapped,
    skipped,
    notes: topologyNotes(files),
    sourceClasses: predictions ? predictions.shape[0] : null,
  };
}

/** head.dense differs only in its output (class) dimension. */
function classCountOnly(file: number[], model: number[]): boolean {
  return file.length === model.length && file.slice(0, -1).every((d, i) => d === model[i]);
}

/** BN(conv(x) + b) with moving mean m equals BN(conv(x)) with moving mean m - b. */
function foldBias(
  weight: SourceWeight,
  norm: string,
  planned: Map<string, Planned>,
  problems: string[],
): void {
  const mean = planned.get(`${norm}.moving_mean`);
  if (!mean) return; // reported as an unfilled moving_mean
  if (!sameShape(weight.shape, mean.param.shape)) {
    problems.push(
      `${weight.name}: shape ${shapeText(weight.shape)} in the file, ${norm}.moving_mean (where it folds) is ${shapeText(mean.param.shape)}`,
    );
    return;
  }
  mean.data = mean.data.map((m, i) => m - weight.data[i]);
  mean.note = `minus the conv bias ${weight.name}`;
}

/** Keep moving_variance + epsilon as Keras had it, under gradflow's fixed epsilon. */
function adjustEpsilons(files: LayersModelFiles, planned: Map<string, Planned>, problems: string[]): void {
  for (const p of planned.values()) {
    if (!p.param.name.endsWith('.moving_variance')) continue;
    const layerName = splitWeightName(p.weight.name)!.layer;
    const config = files.layers.get(layerName)?.config;
    const axis = config?.axis;
    const axes = Array.isArray(axis) ? axis : [axis ?? -1];
    if (!(axes.length === 1 && (axes[0] === -1 || axes[0] === 3))) {
      problems.push(
        `${layerName}: batch norm over axis ${JSON.stringify(axis)}; gradflow normalises the channels (last axis, NHWC)`,
      );
      continue;
    }
    const eps = typeof config?.epsilon === 'number' ? config.epsilon : KERAS_BN_DEFAULT_EPSILON;
    if (eps === BN_EPSILON) continue;
    const shift = eps - BN_EPSILON;
    p.data = p.data.map((v) => Math.max(0, v + shift));
    p.note = `plus ${shift.toExponential(3)}: Keras' epsilon ${eps}${config ? '' : ' (Keras default; layer not in the topology)'} vs gradflow's ${BN_EPSILON}`;
  }
}

function checkUnfilled(
  target: Model,
  planned: Map<string, Planned>,
  skipped: ImportResult['skipped'],
  problems: string[],
): void {
  const isHead = (name: string) => name.startsWith('head.');
  const noClassifier = ![...planned.keys()].some(isHead);
  const alreadySkipped = new Set(skipped.map((s) => s.param));
  for (const p of target.params) {
    if (planned.has(p.name) || alreadySkipped.has(p.name)) continue;
    if (noClassifier && isHead(p.name)) {
      skipped.push({ param: p.name, reason: 'the file has no classifier (include_top=False)' });
      continue;
    }
    const keras = kerasLayerFor(p.layer);
    const key = p.name.slice(p.layer.length + 1);
    const expected = keras ? `expected ${keras}/${key} in the file` : 'no Keras layer maps to it';
    problems.push(`${p.name} ${shapeText(p.shape)} of ${target.name}: no weight in the file (${expected})`);
  }
}

/** Keras' ZeroPadding2D `padding`: n, [h, w], or [[top, bottom], [left, right]]. */
function symmetricPadding(padding: unknown): boolean {
  if (typeof padding === 'number') return true;
  if (!Array.isArray(padding)) return false;
  return padding.every((p) => typeof p === 'number' || (Array.isArray(p) && p.length === 2 && p[0] === p[1]));
}

function topologyNotes(files: LayersModelFiles): string[] {
  const notes: string[] = [];
  const layers = [...files.layers.values()];
  const predictions = files.layers.get('predictions');
  const activation = predictions?.config.activation;
  if (typeof activation === 'string' && activation !== 'linear') {
    notes.push(
      `Keras' predictions layer applies ${activation}; gradflow's head outputs logits (the loss applies softmax)`,
    );
  }
  const v1 = layers.filter(
    (l) => /^conv\d+_block1_1_conv$/.test(l.name) && JSON.stringify(l.config.strides) === '[2,2]',
  );
  if (v1.length > 0) {
    notes.push(
      `${v1.map((l) => l.name).join(', ')} stride 2 (ResNet v1); gradflow's ResNets stride the 3x3 conv (torchvision's v1.5): same weights, a different function, so logits differ from Keras'`,
    );
  }
  const unequal = layers
    .filter((l) => l.className === 'ZeroPadding2D' && !symmetricPadding(l.config.padding))
    .map((l) => l.name);
  if (unequal.length > 0) {
    notes.push(
      `${unequal.join(', ')}: Keras pads unequally before and after; gradflow pads floor(k/2) on every side (pixel alignment differs by one)`,
    );
  }
  return notes;
}
