// results/<experiment>/summary.csv (one row per run) and summary-by-config.csv (seeds of one
// configuration aggregated), rebuilt from the run directories' manifests. Rebuilding from disk
// rather than from memory means any process (a local sweep, each shard of a job array, or
// `gradflow summarize` afterwards) writes the same files; each write is atomic.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeToString } from 'fast-csv';
import type { Manifest } from '../store/types.js';
import { writeFileAtomic } from '../ground/atomic.js';
import { readManifest } from '../store/run-dir.js';

export const SUMMARY_COLUMNS = [
  'run',
  'family',
  'block',
  'residual',
  'norm',
  'depth',
  'seed',
  'status',
  'params',
  'train_error',
  'test_error',
  'wall_s',
  'config',
] as const;

export const BY_CONFIG_COLUMNS = [
  'config',
  'family',
  'block',
  'residual',
  'norm',
  'depth',
  'runs',
  'n',
  'train_error_mean',
  'train_error_sd',
  'train_error_min',
  'train_error_max',
  'test_error_mean',
  'test_error_sd',
  'test_error_min',
  'test_error_max',
] as const;

export type SummaryRow = Record<(typeof SUMMARY_COLUMNS)[number], string | number>;
export type ByConfigRow = Record<(typeof BY_CONFIG_COLUMNS)[number], string | number>;

/** The run id less its seed facet: the runs of one configuration differ only by seed. */
export function configKey(manifest: Manifest): string {
  return manifest.id.replace(new RegExp(`-s${manifest.seed}(?=-|$)`), '');
}

/** Every run directory's manifest under results/<experiment>/ (directories without a readable one are skipped). */
export function readManifests(experimentDir: string): Manifest[] {
  if (!existsSync(experimentDir)) return [];
  const manifests: Manifest[] = [];
  for (const entry of readdirSync(experimentDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let manifest: Manifest | null;
    try {
      manifest = readManifest(join(experimentDir, entry.name));
    } catch {
      continue; // a damaged run is reported by the sweep; the summary holds the readable ones
    }
    if (manifest) manifests.push(manifest);
  }
  return manifests.sort(compareRuns);
}

/** Deep after shallow, plain before residual: the order a reader scans a depth sweep in. */
function compareRuns(a: Manifest, b: Manifest): number {
  const ma = a.config.model;
  const mb = b.config.model;
  return (
    ma.family.localeCompare(mb.family) ||
    Number(a.residual) - Number(b.residual) ||
    ma.block.localeCompare(mb.block) ||
    ma.norm.localeCompare(mb.norm) ||
    ma.depth - mb.depth ||
    configKey(a).localeCompare(configKey(b)) ||
    a.seed - b.seed
  );
}

const round = (x: number | undefined, digits = 6): string | number =>
  x === undefined || !Number.isFinite(x) ? '' : Number(x.toFixed(digits));

export function summaryRow(m: Manifest): SummaryRow {
  const model = m.config.model;
  return {
    run: m.id,
    family: model.family,
    block: model.block,
    residual: String(m.residual),
    norm: model.norm,
    depth: model.depth,
    seed: m.seed,
    status: m.status,
    params: m.params?.trainable ?? '',
    train_error: round(m.final?.trainError),
    test_error: round(m.final?.testError),
    wall_s: round(m.wallSeconds, 1),
    config: configKey(m),
  };
}

function stats(values: number[]): { mean: number; sd?: number; min: number; max: number } | undefined {
  if (values.length === 0) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd =
    values.length > 1
      ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
      : undefined;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

/** Aggregates seeds per configuration; n counts runs with final errors (completed or diverged). */
export function byConfigRows(manifests: Manifest[]): ByConfigRow[] {
  const groups = new Map<string, Manifest[]>();
  for (const m of manifests) groups.set(configKey(m), [...(groups.get(configKey(m)) ?? []), m]);
  return [...groups.entries()].map(([config, runs]) => {
    const withFinal = runs.filter((r) => r.final && (r.status === 'completed' || r.status === 'diverged'));
    const train = stats(withFinal.map((r) => r.final!.trainError).filter(Number.isFinite));
    const test = stats(withFinal.map((r) => r.final!.testError).filter(Number.isFinite));
    const model = runs[0].config.model;
    return {
      config,
      family: model.family,
      block: model.block,
      residual: String(runs[0].residual),
      norm: model.norm,
      depth: model.depth,
      runs: runs.length,
      n: withFinal.length,
      train_error_mean: round(train?.mean),
      train_error_sd: round(train?.sd),
      train_error_min: round(train?.min),
      train_error_max: round(train?.max),
      test_error_mean: round(test?.mean),
      test_error_sd: round(test?.sd),
      test_error_min: round(test?.min),
      test_error_max: round(test?.max),
    };
  });
}

async function csv(rows: object[], columns: readonly string[]): Promise<string> {
  if (rows.length === 0) return columns.join(',') + '\n';
  return (await writeToString(rows as Record<string, unknown>[], { headers: columns as string[] })) + '\n';
}

export interface SummaryFiles {
  summary: string;
  byConfig: string;
  rows: SummaryRow[];
  configs: ByConfigRow[];
}

/** Rewrites both summary files of results/<experiment>/ from its run directories. */
export async function writeSummaries(experimentDir: string): Promise<SummaryFiles> {
  const manifests = readManifests(experimentDir);
  const rows = manifests.map(summaryRow);
  const configs = byConfigRows(manifests);
  const summary = join(experimentDir, 'summary.csv');
  const byConfig = join(experimentDir, 'summary-by-config.csv');
  writeFileAtomic(summary, await csv(rows, SUMMARY_COLUMNS));
  writeFileAtomic(byConfig, await csv(configs, BY_CONFIG_COLUMNS));
  return { summary, byConfig, rows, configs };
}
