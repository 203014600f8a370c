// Readable, stable run ids: cifar-basic-d56-s1, plus a facet for every other config path the
// sweep varies (cifar-plain-d20-s0-normnone-lr0.01) and for what an include run changes from the
// base (cifar-basic-d110-s0-warmupuntil-error), so ids never collide within a sweep and the same
// run keeps its id (and its results directory) when the experiment grows.
import type { RunConfig } from '../config/schema.js';
import { isDeepStrictEqual } from 'node:util';
import { getAtPath, parseAtPath } from './config-path.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

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

/** Dotted paths of the leaves of a plain object ('' for a value that is not one). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (!isPlainObject(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

/**
 * The id facets of one swept axis: its path, or, for an axis of whole objects (a list of models),
 * the leaves needed to tell them apart once defaults are filled in (beyond what the id's core
 * shows), so ids read cifar-plain-d14 and vgg11_bn rather than a JSON dump, and a leaf that only
 * goes along with another (a learning-rate scale per transfer mode) adds nothing to them.
 * Objects with a `type` (a schedule) keep their type name.
 */
export function axisFacets(path: string, values: readonly unknown[]): FacetPath[] {
  const untyped = (v: unknown) => isPlainObject(v) && typeof v.type !== 'string';
  if (!values.every(untyped)) return [{ path }];
  const filled = values.map((value) => parseAtPath(path, value));
  const leaves = [...new Set(filled.flatMap((value) => leafPaths(value)))];
  const kinds = (shown: string[]) =>
    new Set(filled.map((value) => JSON.stringify(shown.map((leaf) => getAtPath(value, leaf))))).size;
  const shown = leaves.filter((leaf) => CORE_PATHS.has(`${path}.${leaf}`));
  for (const leaf of leaves) {
    if (!shown.includes(leaf) && kinds([...shown, leaf]) > kinds(shown)) shown.push(leaf);
  }
  return shown.map((leaf) => ({ path: `${path}.${leaf}` }));
}
