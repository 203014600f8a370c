// Starting a run from a pretrained gradflow run: parameters are matched by their stable names, the
// head is left freshly initialised for the target's classes, and the mode decides what trains.
// Frozen parameters get no gradient and no optimiser state; batch norms inside the frozen part run
// in inference mode so their loaded moving statistics stay as they were (Keras' transfer guide).
// Mode `scratch` loads nothing: the same recipe from a random init, the baseline of a transfer study.
import * as tf from '@tensorflow/tfjs';
import type { TransferConfig } from '../config/schema.js';
import { UserError } from '../ground/errors.js';
import type { Model } from '../models/types.js';
import { readManifest, transferSourceDir } from '../store/run-dir.js';
import { loadCheckpoint } from '../weights/checkpoint.js';

export interface TransferPlan {
  frozen: Set<string>; // parameter names
  frozenNorms: Set<string>; // norm layer names that must use moving statistics
  frozenStages: Set<string>; // stages whose dropout is off: a frozen body is a fixed feature extractor
  lrScale: (param: string) => number;
  /** How many parameters were loaded from the source run. */
  loaded: number;
}

/** The first dotted segment names a parameter's stage: stem, stage1..stageN, head. */
export const stageOf = (paramName: string): string => paramName.split('.')[0];

export function stagesInOrder(model: Model): string[] {
  return [...new Set(model.params.map((p) => stageOf(p.name)))];
}

export function applyTransfer(model: Model, cfg: TransferConfig, experimentDir: string): TransferPlan {
  const scale = cfg.lrScale ?? {};
  const stages = stagesInOrder(model).filter((s) => s !== 'head');
  for (const key of Object.keys(scale)) {
    if (!stages.includes(key) && key !== 'head' && key !== '*')
      throw new UserError(
        `transfer.lrScale: unknown stage "${key}" (stages: ${[...stages, 'head'].join(', ')}, or * for the rest)`,
      );
  }
  const lrScale = (name: string) => scale[stageOf(name)] ?? scale['*'] ?? 1;
  if (cfg.mode === 'scratch')
    return { frozen: new Set(), frozenNorms: new Set(), frozenStages: new Set(), lrScale, loaded: 0 };
  if (cfg.from === undefined)
    throw new UserError(
      'transfer.from: name the source run (a run directory, or @<run id> in an experiment)',
    );
  const from = transferSourceDir(cfg.from, experimentDir);
  const source = readManifest(from);
  if (!source)
    throw new UserError(`transfer.from: ${from} has no manifest.json (not a gradflow run directory)`);
  if (source.status !== 'completed')
    throw new UserError(`transfer.from: ${from} is ${source.status}, not completed`);
  const ckpt = loadCheckpoint<unknown>(from);
  if (!ckpt) throw new UserError(`transfer.from: ${from} has no checkpoint/ckpt.bin`);
  const pretrained = new Map(ckpt.tensors.filter((t) => !t.name.startsWith('opt:')).map((t) => [t.name, t]));

  let loaded = 0;
  for (const p of model.params) {
    if (stageOf(p.name) === 'head') continue; // replaced to fit the target's classes
    const t = pretrained.get(p.name);
    if (!t || t.shape.join('x') !== p.variable.shape.join('x')) {
      const theirs = t ? `[${t.shape}]` : 'absent';
      throw new UserError(
        `transfer.from: the source run ${from} does not match this model: parameter ${p.name} is [${p.variable.shape}] here, ${theirs} in the source`,
      );
    }
    tf.tidy(() => p.variable.assign(tf.tensor(t.data, t.shape)));
    loaded++;
  }

  const trainableStages = new Set(
    cfg.mode === 'finetune'
      ? [...stages, 'head']
      : cfg.mode === 'linear'
        ? ['head']
        : [...stages.slice(-cfg.stages), 'head'],
  );
  const frozen = new Set(
    model.params.filter((p) => !trainableStages.has(stageOf(p.name))).map((p) => p.name),
  );
  const frozenNorms = new Set(model.params.filter((p) => frozen.has(p.name)).map((p) => p.layer));
  const frozenStages = new Set(stages.filter((s) => !trainableStages.has(s)));
  return { frozen, frozenNorms, frozenStages, lrScale, loaded };
}
