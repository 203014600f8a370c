// Readable, stable run ids: cifar-basic-d56-s1, plus a facet for every other config path the
// sweep varies (cifar-plain-d20-s0-normnone-lr0.01) and for what an include run changes from the
// base (cifar-basic-d110-s0-warmupuntil-error), so ids never collide within a sweep and the same
// run keeps its id (and its results directory) when the experiment grows.
import type { RunConfig } from '../config/schema.js';
import { isDeepStrictEqual } from 'node:util';
import { getAtPath } from './config-path.js';

/** Paths already spelled by the id's core. */
export const CORE_PATHS = new Set(['model.family', 'model.block', 'model.depth', 'model.variant', 'seed']);

/** Short labels for the paths people sweep most; anything else uses its last segment. */
const FACET_LABELS: Record<string, string> = {
  'model.norm': 'norm',
  'model.init': 'init',
  'model.width': 'w',
  'model.activation': 'act',
  'model.shortcut': 'sc',
  'train.lr': 'lr',
  'train.batchSize': 'bs',
  'train.weightDecay': 'wd',
  'train.momentum': 'mom',
  'train.optimizer': '',
  'train.steps': 'steps',
  'train.epochs': 'ep',
  'data.name': '',
  'data.size': 'px',
  'data.labelsPerClass': 'labels',
  'transfer.mode': '',
  'transfer.stages': 'K',
};

function valueText(value: unknown): string {
  // An object (a schedule, a warmup) is named by its type when it has one.
  const typed = (value as { type?: unknown } | null)?.type;
  const text =
    typeof value === 'object' && value !== null
      ? typeof typed === 'string'
        ? typed
        : JSON.stringify(value).slice(0, 24)
      : String(value);
  return text.replace(/[^A-Za-z0-9.+-]+/g, '_').replace(/^_+|_+$/g, '');
}

export function facet(path: string, value: unknown): string {
  const label = FACET_LABELS[path] ?? path.split('.').pop()!;
  return `${label}${valueText(value)}`;
}

/** A config path that may add a facet; `unlessEqual`: leave it out when the run has this value. */
export interface FacetPath {
  path: string;
  unlessEqual?: { value: unknown };
}

export function runId(config: RunConfig, facetPaths: readonly FacetPath[]): string {
  const { family, block, depth, variant } = config.model;
  const core = family === 'vgg' || family === 'resnet' ? [variant ?? family] : [family, block, `d${depth}`];
  const facets = facetPaths
    .filter(({ path }) => !CORE_PATHS.has(path))
    .map(({ path, unlessEqual }) => ({ path, value: getAtPath(config, path), unlessEqual }))
    .filter(({ value }) => value !== undefined)
    .filter(({ value, unlessEqual }) => !unlessEqual || !isDeepStrictEqual(value, unlessEqual.value))
    .map(({ path, value }) => facet(path, value));
  return [...core, `s${config.seed}`, ...facets].join('-');
}
