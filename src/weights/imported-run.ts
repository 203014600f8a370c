// An imported model as a gradflow run directory, so `"transfer": {"from": DIR}` can start from it
// like from any completed run: manifest.json (status completed, no training steps),
// checkpoint/ckpt.bin keyed by parameter name, and import.json recording where each weight came from.
import * as tf from '@tensorflow/tfjs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { RunConfig, type ModelConfig } from '../config/schema.js';
import { getModelFamily, registeredBlocks } from '../models/index.js';
import type { Model } from '../models/types.js';
import { writeJsonAtomic } from '../ground/atomic.js';
import { writeManifest } from '../store/run-dir.js';
import type { Manifest } from '../store/types.js';
import { provenance } from '../store/provenance.js';
import { readNamedArray, saveCheckpoint } from './checkpoint.js';
import type { ImportResult } from './layers-model.js';

export interface ImportedRunState {
  importedFrom: string; // absolute path of the LayersModel directory
  format: 'tfjs-layers-model';
  step: 0;
}

export async function writeImportedRun(
  runDir: string,
  source: string,
  model: Model,
  modelConfig: ModelConfig,
  result: ImportResult,
): Promise<Manifest> {
  const [height, width, channels] = model.inputShape;
  // The data section only records the input shape the model was built for (no data was seen);
  // a non-square or >256 input cannot be described by it and keeps the defaults.
  const describable = height === width && height >= 4 && height <= 256 && channels >= 1 && channels <= 3;
  const config = RunConfig.parse({
    model: modelConfig,
    data: describable ? { name: 'synthetic', size: height, channels } : {},
    probe: { enabled: false },
  });
  const now = new Date().toISOString();
  const { versions, gitCommit, machine } = provenance();
  const manifest: Manifest = {
    id: basename(resolve(runDir)),
    experiment: basename(resolve(runDir, '..')),
    config,
    seed: config.seed,
    status: 'completed',
    statusReason: `imported from the TF.js LayersModel in ${resolve(source)}, not trained by gradflow`,
    backend: { name: tf.getBackend(), version: versions.tfjs, threads: 1 },
    versions,
    gitCommit,
    host: hostname(),
    machine,
    startedAt: now,
    endedAt: now,
    wallSeconds: 0,
    params: {
      trainable: model.params.filter((p) => p.trainable).reduce((n, p) => n + p.variable.size, 0),
      total: model.params.reduce((n, p) => n + p.variable.size, 0),
    },
    residual: model.residual,
    weightedLayers: getModelFamily(config.model.family).weightedLayers(config.model, registeredBlocks),
    steps: 0,
    totalSteps: 0,
    warnings: [],
  };
  const state: ImportedRunState = { importedFrom: resolve(source), format: 'tfjs-layers-model', step: 0 };
  const tensors = await Promise.all(model.params.map((p) => readNamedArray(p.name, p.variable)));
  const weights = saveCheckpoint(runDir, { state, tensors });
  // An imported run is its weights: runs that transfer from it record this as their source.
  manifest.fingerprint = `weights:${weights}`;
  writeJsonAtomic(join(runDir, 'import.json'), {
    source: resolve(source),
    model: model.name,
    inputShape: model.inputShape,
    ...result,
  });
  writeManifest(runDir, manifest);
  return manifest;
}
