// Results directories -> ReportData. Accepts a run directory (holds manifest.json), an experiment
// directory (holds run directories) or a results root (holds experiment directories). Runs
// without a readable manifest are skipped with a note, never fatal: a sweep still running has some.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  LANDSCAPE_COLUMNS,
  LAYER_COLUMNS,
  LESION_COLUMNS,
  METRIC_COLUMNS,
  SHATTER_COLUMNS,
  type Manifest,
} from '../store/types.js';
import { columnIndex, scanCsv, type RowReader, type ScanOptions } from './csv.js';
import {
  emptyReportData,
  facetsOf,
  type LandscapePoint,
  type LayerPoint,
  type LesionPoint,
  type MetricPoint,
  type ReportData,
  type RunFacets,
  type ShatterPoint,
  type RunInfo,
} from './rows.js';

export interface LoadOptions {
  /** Keep only these layers.csv stats (a sweep's layers.csv has millions of rows). Default: all. */
  stats?: readonly string[];
}

export async function loadResults(dirs: readonly string[], options: LoadOptions = {}): Promise<ReportData> {
  const data = emptyReportData();
  const runDirs: string[] = [];
  for (const dir of dirs) {
    if (!(await isDir(dir))) throw new Error(`results directory not found: ${dir}`);
    runDirs.push(...(await findRunDirs(dir, 2, data.notes)));
  }
  data.runs = await readRuns(runDirs, data.notes);
  const stats = options.stats ? new Set(options.stats) : null;
  for (const run of data.runs) await readRunCsvs(run, data, stats);
  const padding = paddingNote(data.runs);
  if (padding) data.notes.push(padding);
  return data;
}

/** The report's note on runs trained with the old 'same' padding, if any. */
export function paddingNote(runs: readonly RunInfo[]): string | undefined {
  const same = runs.filter((r) => paddingOf(r.manifest) === 'same');
  if (same.length > 0) {
    const which = same.length === runs.length ? 'every run' : `${same.length} of ${runs.length} runs`;
    return (
      `${which} trained with TF's 'same' padding, as gradflow padded before 2026-12: at stride 2 on an even size ` +
      `it pads 0 before and 1 after, so a stage's first residual branch is one pixel off option A's shortcut; ` +
      `He et al. (and gradflow since) pad floor(k/2) on every side` +
      (same.length < runs.length ? '. Runs of both rules are compared here: read the padding column' : '')
    );
  }
  return undefined;
}

/** The runs of these run directories: manifests read, ids made unique, architectures named. */
export async function readRuns(runDirs: readonly string[], notes: string[]): Promise<RunInfo[]> {
  const runs: RunInfo[] = [];
  const seen = new Set<string>();
  for (const dir of runDirs) {
    const run = await readRun(dir, notes);
    if (!run) continue;
    // The same run id in two experiments stays two runs.
    if (seen.has(run.run)) run.run = `${run.experiment}/${run.run}`;
    if (seen.has(run.run)) {
      notes.push(`skipped ${dir}: run ${run.run} was already loaded from another directory`);
      continue;
    }
    seen.add(run.run);
    runs.push(run);
  }
  nameArchitectures(runs);
  return runs;
}

/**
 * Several residual blocks in one report (basic, a plugin's stochastic depth, ResNet-D) are each their
 * own architecture: named by block, so figures colour them apart and findings judge each against
 * plain instead of pooling their seeds. With one residual block they stay "residual" (and "plain").
 */
export function nameArchitectures(runs: RunInfo[]): void {
  // Report-wide, not per setting: figures key on the net's name across settings (basic with batch
  // norm and rezero without would otherwise draw as one "residual-20").
  for (const residual of [true, false]) {
    const side = runs.filter((r) => r.residual === residual);
    if (new Set(side.map((r) => r.block)).size > 1) for (const r of side) r.arch = r.block;
  }
}

/** The padding rule a run's nets were built with; manifests from before the option padded 'same'. */
export function paddingOf(manifest: Manifest): 'symmetric' | 'same' {
  return manifest.config.model.padding ?? 'same';
}

export async function findRunDirs(dir: string, levels: number, notes: string[]): Promise<string[]> {
  if (await isFile(join(dir, 'manifest.json'))) return [dir];
  if (await hasResultsCsv(dir)) {
    notes.push(`skipped ${dir}: has results CSVs but no manifest.json`);
    return [];
  }
  if (levels === 0) return [];
  const found: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) found.push(...(await findRunDirs(join(dir, entry.name), levels - 1, notes)));
  return found;
}

async function readRun(dir: string, notes: string[]): Promise<RunInfo | null> {
  const path = join(dir, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch (err) {
    notes.push(`skipped ${dir}: manifest.json is not readable JSON (${(err as Error).message})`);
    return null;
  }
  const model = manifest?.config?.model;
  if (!model || typeof model.depth !== 'number') {
    notes.push(`skipped ${dir}: manifest.json lacks config.model.depth`);
    return null;
  }
  return {
    run: typeof manifest.id === 'string' && manifest.id ? manifest.id : basename(dir),
    experiment: typeof manifest.experiment === 'string' ? manifest.experiment : basename(join(dir, '..')),
    family: String(model.family ?? 'unknown'),
    block: String(model.block ?? 'unknown'),
    residual: Boolean(manifest.residual),
    arch: manifest.residual ? 'residual' : 'plain', // named by block below when blocks would pool
    norm: String(model.norm ?? 'unknown'),
    depth: weightedLayers(manifest),
    seed: typeof manifest.seed === 'number' ? manifest.seed : (manifest.config.seed ?? 0),
    variant: variantOf(manifest),
    dir,
    manifest: { ...manifest, warnings: Array.isArray(manifest.warnings) ? manifest.warnings : [] },
  };
}

/** The arrays of ReportData that hold rows read from the runs' CSV files. */
export type RowSource = 'metrics' | 'layers' | 'lesions' | 'landscapes' | 'shatter';

/** The CSV files beside a run that the report reads, and the rows each fills. */
export const RUN_CSV_FILES = {
  'metrics.csv': 'metrics',
  'layers.csv': 'layers',
  'lesion.csv': 'lesions',
  'landscape.csv': 'landscapes',
  'shatter.csv': 'shatter',
} as const satisfies Record<string, RowSource>;
export type RunCsvFile = keyof typeof RUN_CSV_FILES;

/**
 * One run's rows of one of its CSV files, fed whole lines by scanCsv (the file at once) or
 * scanCsvLines (a file read as it grows): `reader` takes the rows, `rows()` is what they make so far.
 */
export interface RunCsvRows {
  reader: RowReader;
  options: ScanOptions;
  rows(): readonly unknown[];
}

/** The rows of `file` for `run`; layers.csv keeps only `stats` at every step (null: all). */
export function runCsvRows(run: RunInfo, file: RunCsvFile, stats: ReadonlySet<string> | null): RunCsvRows {
  switch (file) {
    case 'metrics.csv':
      return pointRows<MetricPoint>(
        run,
        file,
        METRIC_COLUMNS,
        (c) => ({
          step: num(c('step')),
          epoch: num(c('epoch')),
          split: c('split'),
          metric: c('metric'),
          value: num(c('value')),
        }),
        (point) => Number.isFinite(point.step),
      );
    case 'layers.csv':
      return layerRows(run, stats);
    case 'lesion.csv':
      return pointRows<LesionPoint>(run, file, LESION_COLUMNS, (c) => ({
        mode: c('mode'),
        k: num(c('k')),
        draw: num(c('draw')),
        block: c('block'),
        depth_index: num(c('depth_index')),
        error: num(c('error')),
        status: c('status'),
      }));
    case 'landscape.csv':
      return pointRows<LandscapePoint>(run, file, LANDSCAPE_COLUMNS, (c) => ({
        dir: c('dir'),
        alpha: num(c('alpha')),
        beta: num(c('beta')),
        loss: num(c('loss')),
        error: num(c('error')),
      }));
    case 'shatter.csv':
      return pointRows<ShatterPoint>(run, file, SHATTER_COLUMNS, (c) => ({
        norm: c('norm'),
        series: c('series'),
        position: num(c('position')),
        value: num(c('value')),
        status: c('status'),
      }));
  }
}

async function readRunCsvs(run: RunInfo, data: ReportData, stats: ReadonlySet<string> | null): Promise<void> {
  for (const [file, source] of Object.entries(RUN_CSV_FILES) as [RunCsvFile, RowSource][]) {
    const path = join(run.dir, file);
    if (!(await isFile(path))) continue;
    const rows = runCsvRows(run, file, stats);
    const scan = await scanCsv(path, rows.reader, rows.options);
    const into = data[source] as unknown[];
    for (const row of rows.rows()) into.push(row); // one by one: millions of rows overflow a spread
    if (scan.tornLine) data.notes.push(`${path}: dropped a torn last line`);
  }
}

/** Rows of a CSV file beside the run, each with the run's facets, the ones `keep` accepts. */
function pointRows<Point>(
  run: RunInfo,
  file: RunCsvFile,
  columns: readonly string[],
  point: (cell: (column: string) => string) => Omit<Point, keyof RunFacets>,
  keep: (point: Point) => boolean = () => true,
): RunCsvRows {
  const path = join(run.dir, file);
  const f = facetsOf(run);
  const rows: Point[] = [];
  return {
    options: {},
    rows: () => rows,
    reader: (header) => {
      const positions = columnIndex(header, columns, path);
      const index = new Map(columns.map((c, i) => [c, positions[i]]));
      return (r) => {
        const row = { ...f, ...point((c) => r[index.get(c)!]) } as Point;
        if (keep(row)) rows.push(row);
      };
    },
  };
}

function layerRows(run: RunInfo, stats: ReadonlySet<string> | null): RunCsvRows {
  const path = join(run.dir, 'layers.csv');
  const f = facetsOf(run);
  const kept: LayerPoint[] = [];
  // Statistics outside `stats` are kept at the last probe only: enough for a profile by depth of
  // any statistic (a plugin's probe included), without holding every step of every one.
  let lastStep = -Infinity;
  let atLastStep: LayerPoint[] = [];
  // Layer, kind and stat names repeat on every probe: one shared string each, rather than a
  // slice of the file text per row.
  const names = new Map<string, string>();
  const intern = (name: string) => {
    let shared = names.get(name);
    if (shared === undefined) names.set(name, (shared = name));
    return shared;
  };
  return {
    options: {
      prefilter: stats ? [...stats].map((s) => `,${s},`) : undefined,
      keepLastKey: true,
    },
    rows: () => (atLastStep.length === 0 ? kept : kept.concat(atLastStep)),
    reader: (header) => {
      const [step, layer, depthIndex, kind, stat, value] = columnIndex(header, LAYER_COLUMNS, path);
      // Every row gets the same literal shape (no spread), which keeps millions of rows compact and
      // their property reads fast.
      return (r) => {
        const other = stats !== null && !stats.has(r[stat]);
        const point: LayerPoint = {
          run: f.run,
          experiment: f.experiment,
          family: f.family,
          block: f.block,
          residual: f.residual,
          arch: f.arch,
          norm: f.norm,
          depth: f.depth,
          seed: f.seed,
          variant: f.variant,
          step: num(r[step]),
          layer: intern(r[layer]),
          depth_index: num(r[depthIndex]),
          kind: intern(r[kind]),
          stat: intern(r[stat]),
          value: num(r[value]),
        };
        if (!Number.isFinite(point.step) || !Number.isFinite(point.depth_index)) return;
        if (!other) kept.push(point);
        else if (point.step >= lastStep) {
          // Rows come in step order: a later step replaces what was kept of an earlier one.
          if (point.step > lastStep) [lastStep, atLastStep] = [point.step, []];
          atLastStep.push(point);
        }
      };
    },
  };
}

/**
 * What sets a run apart beyond architecture, depth and norm: its activation and, for transfer runs,
 * the adaptation mode and label budget, e.g. "relu · finetune · 10 labels/class".
 */
/**
 * The depth a reader knows the net by: its weighted layers as its model family counted them when
 * it ran (vgg11: 11, resnet50: 50). Manifests from before that was recorded fall back to model.depth.
 */
function weightedLayers(manifest: Manifest): number {
  return manifest.weightedLayers ?? manifest.config.model.depth;
}

function variantOf(manifest: Manifest): string {
  const transfer = manifest.config.transfer;
  const labels = manifest.config.data?.labelsPerClass;
  const parts: string[] = [String(manifest.config.model.activation ?? 'relu')];
  if (transfer)
    parts.push(transfer.mode === 'finetune-last' ? `finetune-last-${transfer.stages ?? 1}` : transfer.mode);
  if (labels) parts.push(`${labels} labels/class`);
  return parts.join(' · ');
}

/** CSV cell -> number; an empty or missing cell is NaN, not 0. */
function num(cell: string | undefined): number {
  return cell === undefined || cell === '' ? NaN : Number(cell);
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

async function hasResultsCsv(dir: string): Promise<boolean> {
  return (await isFile(join(dir, 'metrics.csv'))) || (await isFile(join(dir, 'layers.csv')));
}
