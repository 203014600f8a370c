// An experiment's `pretrain` section: each transfer run that names no source is given one, a run
// of the same model and seed trained first on the base recipe with the pretrain settings over it
// (the source split, more steps). Runs sharing a model and seed share their pretrained run.
import { isDeepStrictEqual } from 'node:util';
import { RunConfig } from '../config/schema.js';
import { setAtPath } from './config-path.js';
import type { Problem } from './json-path.js';
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

interface Run {
  id: string;
  config: RunConfig;
}

/**
 * The runs with a pretrained source run (one per model and seed) before the transfer runs that
 * name no source, each of which now points at it with `@<id>`. The runs given are not changed.
 */
export function withPretrainRuns(
  runs: readonly Run[],
  seen: Map<string, RunConfig>,
  baseRaw: Record<string, unknown>,
  overrides: readonly (readonly [string, unknown])[],
  facetPaths: readonly FacetPath[],
): { runs: Run[]; problems: Problem[] } {
  const sources: Run[] = [];
  const targets: Run[] = [];
  for (const run of runs) {
    const transfer = run.config.transfer;
    if (!transfer || transfer.from !== undefined || transfer.mode === 'scratch') {
      targets.push(run);
      continue;
    }
    const parsed = RunConfig.safeParse(pretrainConfig(baseRaw, run.config, overrides));
    if (!parsed.success) {
      return {
        runs: [...runs],
        problems: [
          {
            path: 'pretrain',
            message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          },
        ],
      };
    }
    const id = pretrainId(parsed.data, facetPaths);
    const earlier = seen.get(id);
    if (earlier && !isDeepStrictEqual(earlier, parsed.data)) {
      return {
        runs: [...runs],
        problems: [{ path: 'pretrain', message: `gives run id ${id} twice with different configs` }],
      };
    }
    if (!earlier) {
      seen.set(id, parsed.data);
      sources.push({ id, config: parsed.data });
    }
    targets.push({ ...run, config: { ...run.config, transfer: { ...transfer, from: `@${id}` } } });
  }
  if (sources.length === 0) {
    return {
      runs: [...runs],
      problems: [
        {
          path: 'pretrain',
          message:
            'no run of the sweep sets "transfer" without a "from", so nothing would use a pretrained run',
        },
      ],
    };
  }
  return { runs: [...sources, ...targets], problems: [] };
}
