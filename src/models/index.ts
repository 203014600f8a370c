// buildModel: a ModelConfig to a Model (real variables) or a Trace (shapes only, for analysis).
import { UserError } from '../ground/errors.js';
import type { ModelConfig } from '../config/schema.js';
import { getModelFamily } from './families.js';
import type { LesionOptions } from './stages.js';
import { instantiate, traceNetwork, type NetworkSpec } from './network.js';
import type { Trace } from './trace-types.js';
import type { Model } from './types.js';

/** The network a config describes, before any parameter exists. */
export function networkFor(
  cfg: ModelConfig,
  inputShape: number[],
  numClasses: number,
  lesion?: LesionOptions,
): NetworkSpec {
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new UserError(`numClasses must be a positive integer, got ${numClasses}`);
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new UserError(`input shape must be positive integers, got [${inputShape}]`);
  }
  return getModelFamily(cfg.family).network(cfg, inputShape, numClasses, lesion);
}

/** Build a model with seeded, deterministic initial parameters. */
export function buildModel(
  cfg: ModelConfig,
  inputShape: number[],
  numClasses: number,
  seed: number,
  lesion?: LesionOptions,
): Model {
  return instantiate(networkFor(cfg, inputShape, numClasses, lesion), inputShape, numClasses, seed);
}

/**
 * Shape-mode trace of a config: every op (shapes include a leading `batch`, default 1) and every
 * parameter, allocating no tensors. The analyzer counts params, MACs and memory from it.
 */
export function traceModel(cfg: ModelConfig, inputShape: number[], numClasses: number, batch = 1): Trace {
  return traceNetwork(networkFor(cfg, inputShape, numClasses), inputShape, batch);
}

export type { Trace, OpRecord, OpType, ParamSpec, LayerSpec } from './trace-types.js';
export type { NetworkSpec } from './network.js';
export type { BlockLookup, ModelFamily } from './family.js';
export type { BlockSite, LesionOptions } from './stages.js';
export {
  getModelFamily,
  hasModelFamily,
  listModelFamilies,
  registerModelFamily,
  registeredBlocks,
} from './families.js';
