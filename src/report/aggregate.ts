// Small pure helpers the figures and findings share: grouping, seed statistics, final errors,
// run labels and step thinning.
import type { LayerPoint, MetricPoint, ReportData, RunFacets, RunInfo } from './rows.js';

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export interface Spread {
  mean: number;
  min: number;
  max: number;
  n: number;
  /** The finite values themselves (one per seed), for intervals. */
  values: number[];
}

/** Mean and range of the finite values; n = 0 (and NaNs) when there are none. */
export function spread(values: readonly number[]): Spread {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: NaN, min: NaN, max: NaN, n: 0, values: [] };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / finite.length, min, max, n: finite.length, values: finite };
}

/** 'plain', 'residual', or the block's name where several would pool (load.ts: nameArchitectures). */
export const arch = (run: Pick<RunFacets, 'residual'> & Partial<Pick<RunFacets, 'arch'>>): string =>
  run.arch ?? (run.residual ? 'residual' : 'plain');

/** Net labels ("plain-8", "plain-20", "resnet-d-14") in legend order: by architecture, then depth as a number. */
export function netOrder(labels: Iterable<string>): string[] {
  const split = (l: string) => {
    const m = /^(.*)-(\d+)$/.exec(l);
    return m ? { name: m[1], depth: Number(m[2]) } : { name: l, depth: NaN };
  };
  return [...new Set(labels)].sort((a, b) => {
    const [x, y] = [split(a), split(b)];
    return x.name.localeCompare(y.name) || x.depth - y.depth || a.localeCompare(b);
  });
}

/** The architectures of these runs in legend order: plain first, then residual, then blocks by name. */
export function archDomain(
  runs: readonly (Pick<RunFacets, 'residual'> & Partial<Pick<RunFacets, 'arch'>>)[],
): string[] {
  const rank = (a: string) => (a === 'plain' ? 0 : a === 'residual' ? 1 : 2);
  return [...new Set(runs.map(arch))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const ARCH_PALETTE = ['#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/** A colour per architecture: plain red, residual (or the first residual block) blue, the others apart. */
export function archColours(domain: readonly string[]): string[] {
  let next = 0;
  return domain.map((a) => (a === 'plain' ? '#d62728' : ARCH_PALETTE[next++ % ARCH_PALETTE.length]));
}

/** "plain-20", "residual-56" (or "resnet-d-56"): the names the papers use for a net of a given depth. */
export const netLabel = (
  run: Pick<RunFacets, 'residual' | 'depth'> & Partial<Pick<RunFacets, 'arch'>>,
): string => `${arch(run)}-${run.depth}`;

/**
 * What distinguishes a run's setting from others in the same report, beyond plain/residual and
 * depth: the experiment, family, norm and variant (activation, transfer mode, label budget), each
 * named only when the report holds more than one value of it. Empty when every run shares one setting.
 */
export function settingLabeller(runs: readonly RunFacets[]): (run: RunFacets) => string {
  const varies = (key: 'experiment' | 'family' | 'norm' | 'variant') =>
    new Set(runs.map((r) => r[key])).size > 1;
  const parts: ((r: RunFacets) => string)[] = [];
  if (varies('experiment')) parts.push((r) => r.experiment);
  if (varies('family')) parts.push((r) => r.family);
  if (varies('norm')) parts.push((r) => `norm=${r.norm}`);
  if (varies('variant')) parts.push((r) => r.variant);
  return (run) => parts.map((p) => p(run)).join(' · ');
}

/** Runs ordered as figures list them: setting, plain before residual, depth, seed. */
export function orderRuns<T extends RunFacets>(runs: readonly T[]): T[] {
  const setting = settingLabeller(runs);
  return [...runs].sort(
    (a, b) =>
      setting(a).localeCompare(setting(b)) ||
      Number(a.residual) - Number(b.residual) ||
      arch(a).localeCompare(arch(b)) ||
      a.depth - b.depth ||
      a.seed - b.seed ||
      a.run.localeCompare(b.run),
  );
}

export interface FinalErrors {
  train: number;
  test: number;
}

/**
 * Each run's final training and test error: the manifest's `final` when the run completed,
 * else the last logged value (a diverged run's last error is its failure, NaN if none).
 */
export function finalErrors(
  runs: readonly RunInfo[],
  metrics: readonly MetricPoint[],
): Map<string, FinalErrors> {
  const last = new Map<string, { step: number; value: number }>();
  for (const m of metrics) {
    if (m.metric !== 'error') continue;
    const key = `${m.run}\u0000${m.split}`;
    const seen = last.get(key);
    if (!seen || m.step >= seen.step) last.set(key, { step: m.step, value: m.value });
  }
  const out = new Map<string, FinalErrors>();
  for (const run of runs) {
    const final = run.manifest.final;
    const lastOf = (split: string) => last.get(`${run.run}\u0000${split}`)?.value ?? NaN;
    out.set(run.run, {
      train: final && Number.isFinite(final.trainError) ? final.trainError : lastOf('train'),
      test: final && Number.isFinite(final.testError) ? final.testError : lastOf('test'),
    });
  }
  return out;
}

/** Bins steps into at most `bins` equal-width buckets; returns a step -> bin-start mapper. */
export function stepBinner(
  steps: readonly number[],
  bins: number,
): { of: (step: number) => number; width: number } {
  const max = steps.reduce((m, s) => (s > m ? s : m), 0);
  const distinct = new Set(steps).size;
  if (distinct <= bins || max === 0) return { of: (s) => s, width: 0 };
  const width = Math.ceil((max + 1) / bins);
  return { of: (s) => Math.floor(s / width) * width, width };
}

/** Rounds to 4 significant digits: plenty for a chart, and it keeps embedded data small. */
export function round4(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(4)) : value;
}

/** One decimal, two below 1%: near the floor (a fitted training set) tenths of a point are the result. */
export function formatPct(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const pct = value * 100;
  const belowOne = pct !== 0 && Math.abs(Number(pct.toFixed(1))) < 1;
  return `${pct.toFixed(belowOne ? 2 : 1)}%`;
}

const byStatCache = new WeakMap<readonly LayerPoint[], Map<string, LayerPoint[]>>();

/**
 * The main-path layer rows of one stat: what figures and findings read by depth index (a shortcut
 * projection shares its index with the main-path layer before it). Indexed once per rows array:
 * figures each read a stat of millions of rows.
 */
export function layersOf(data: { layers: readonly LayerPoint[] }, stat: string): LayerPoint[] {
  let index = byStatCache.get(data.layers);
  if (!index) {
    index = groupBy(
      data.layers.filter((l) => l.kind !== 'shortcut'),
      (l) => l.stat,
    );
    byStatCache.set(data.layers, index);
  }
  return index.get(stat) ?? [];
}

/**
 * response_std of each run at its last probe step, conv layers only when the net has any (the
 * paper plots its 3x3 conv layers). Runs that did not complete are left out when others did.
 */
export function finalResponses(data: ReportData): { points: LayerPoint[]; leftOut: number } {
  const completed = new Set(data.runs.filter((r) => r.manifest.status === 'completed').map((r) => r.run));
  let responses = layersOf(data, 'response_std').filter((l) => Number.isFinite(l.value));
  const leftOut =
    completed.size > 0 ? new Set(responses.filter((l) => !completed.has(l.run)).map((l) => l.run)).size : 0;
  if (completed.size > 0) responses = responses.filter((l) => completed.has(l.run));
  if (responses.some((l) => l.kind === 'conv')) responses = responses.filter((l) => l.kind === 'conv');
  const lastStep = new Map<string, number>();
  for (const l of responses) lastStep.set(l.run, Math.max(lastStep.get(l.run) ?? -Infinity, l.step));
  return { points: responses.filter((l) => l.step === lastStep.get(l.run)), leftOut };
}
