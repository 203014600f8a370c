// The report's input: tidy rows with each run's identity and config facets joined on, so a
// figure can group, facet and colour by any of them without looking anything up.
import type { HealthWarning, Manifest } from '../store/types.js';

/** The facets a figure may split runs by, taken from the run's manifest. */
export interface RunFacets {
  run: string;
  experiment: string;
  family: string;
  block: string;
  residual: boolean;
  /**
   * The architecture as figures and findings name it: 'plain' or 'residual', or the block's own name
   * where the report holds several residual (or several plain) blocks, so that they are not pooled.
   */
  arch: string;
  norm: string;
  depth: number;
  seed: number;
  /** What else sets the run apart: activation, transfer mode, label budget, e.g. "relu · finetune · 10 labels/class". */
  variant: string;
}

export interface RunInfo extends RunFacets {
  dir: string;
  manifest: Manifest;
}

export interface MetricPoint extends RunFacets {
  step: number;
  epoch: number;
  split: string;
  metric: string;
  value: number;
}

export interface LayerPoint extends RunFacets {
  step: number;
  layer: string;
  depth_index: number;
  kind: string;
  stat: string;
  value: number;
}

export interface WarningPoint extends RunFacets, HealthWarning {}

/** One row of a run's lesion.csv (the lesion study), with the run's facets. */
export interface LesionPoint extends RunFacets {
  mode: string; // intact | chance | single | random
  k: number;
  draw: number;
  block: string;
  depth_index: number;
  error: number;
  status: string;
}

/** One row of a run's landscape.csv (the loss landscape), with the run's facets. */
export interface LandscapePoint extends RunFacets {
  dir: string; // 1d | 2d
  alpha: number;
  beta: number;
  loss: number;
  error: number;
}

/** One row of a run's shatter.csv (shattered gradients at initialisation), with the run's facets. */
export interface ShatterPoint extends RunFacets {
  // The measured net's normalisation: the run's own, or 'none' for its unnormalised counterpart.
  norm: string;
  series: string; // gradient | autocorrelation | skipped
  position: number;
  value: number;
  status: string;
}

export interface ReportData {
  runs: RunInfo[];
  metrics: MetricPoint[];
  layers: LayerPoint[];
  /** lesion.csv rows of the runs that have one. */
  lesions: LesionPoint[];
  /** landscape.csv rows of the runs that have one. */
  landscapes: LandscapePoint[];
  /** shatter.csv rows of the runs that have one. */
  shatter: ShatterPoint[];
  /** Problems met while loading (skipped runs, torn lines), shown on the report. */
  notes: string[];
  /** The block every other is compared against (report --baseline); default: the built-in residual block present. */
  baseline?: string;
}

/** Report data with no runs, to fill in. */
export function emptyReportData(): ReportData {
  return { runs: [], metrics: [], layers: [], lesions: [], landscapes: [], shatter: [], notes: [] };
}

/** The facets of a run as one plain object, used to join them onto every row. */
export function facetsOf(run: RunFacets): RunFacets {
  const { run: id, experiment, family, block, residual, arch, norm, depth, seed, variant } = run;
  return { run: id, experiment, family, block, residual, arch, norm, depth, seed, variant };
}
