// An experiment's `pretrain` section: each transfer run that names no source is given one, a run
// of the same model and seed trained first on the base recipe with the pretrain settings over it
// (the source split, more steps). Runs sharing a model and seed share their pretrained run.
import { RunConfig } from '../config/schema.js';
import { setAtPath } from './config-path.js';
import { runId, type FacetPath } from './run-id.js';

export const PRETRAIN_SUFFIX = 'pretrain';

/** The source run's raw config: base without `transfer`, the target run's model and seed, then the overrides. */
export function pretrainConfig(
  baseRaw: Record<string, unknown>,
  target: RunConfig,
  overrides: readonly (readonly [string, unknown])[],
): Record<string, unknown> {
  let config: Record<string, unknown> = { ...baseRaw, model: target.model, seed: target.seed };
  delete config.transfer;
  for (const [path, value] of overrides) config = setAtPath(config, path, value);
  return config;
}

/** `cifar-plain-d14-s0-pretrain`: the target's id core with only the model facets that vary. */
export function pretrainId(config: RunConfig, facetPaths: readonly FacetPath[]): string {
  const modelFacets = facetPaths.filter(({ path }) => path.startsWith('model.'));
  return `${runId(config, modelFacets)}-${PRETRAIN_SUFFIX}`;
}
