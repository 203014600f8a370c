// What a run leaves on disk, as types: the contract between the trainer (writer), the sweep
// summary and the report (readers). Files live in results/<experiment>/<run>/.
import type { RunConfig } from '../config/schema.js';

/** interrupted: stopped by a signal at statusStep with a checkpoint there; running it again resumes it. */
export type RunStatus = 'running' | 'interrupted' | 'completed' | 'diverged' | 'failed';

export interface BackendInfo {
  name: string; // tensorflow-gpu | webgpu | tensorflow | native | wasm | cpu
  version: string;
  threads: number;
  /** The GPU adapter (webgpu). */
  device?: string;
}

/** What a run's numbers depend on beyond its config (see train/numerics.ts). */
export interface Numerics {
  backend: string;
  version: string;
  threads: number;
  /** avx512 | avx2 | avx | sse | the arch; '' when not recorded. */
  isa: string;
  /** The GPU adapter a GPU backend ran on: its kernels and their reduction order depend on it. */
  device?: string;
}

/** A resume allowed to continue under other numerics: from this step on, `to` applies. */
export interface NumericsChange {
  step: number;
  from: Numerics;
  to: Numerics;
}

export type HealthKind = 'vanishing' | 'exploding' | 'dead_relu';

export interface HealthWarning {
  kind: HealthKind;
  layer: string;
  depthIndex: number;
  step: number;
  value: number;
  message: string;
}

/** Everything that determines a run's results (see train/identity.ts). */
export interface RunIdentity {
  config: unknown; // the resolved RunConfig less data.path and train.checkpointMinutes
  data: { file: string; sha256: string }[];
  plugins: { file: string; sha256: string }[];
  /** The source run's fingerprint when the run starts from one; null otherwise. */
  transferSource: string | null;
}

/** The machine a run trained on: wall times, and the kernels a backend picks, depend on it. */
export interface Machine {
  cpu: string; // model name as the OS reports it
  cores: number; // logical cores
  memoryGb: number;
}

export interface Manifest {
  id: string; // run id, e.g. cifar-basic-d56-s1
  experiment: string;
  /**
   * The experiment the run was trained under, where it differs from `experiment`: a finished run of
   * identical config (same fingerprint) that another experiment counts among its own.
   */
  trainedAs?: string;
  config: RunConfig;
  /** SHA-256 of the identity; absent in runs written before fingerprints existed. */
  fingerprint?: string;
  identity?: RunIdentity;
  seed: number;
  status: RunStatus;
  statusStep?: number; // step at which a diverged/failed run stopped
  statusReason?: string;
  backend: BackendInfo;
  /**
   * The plugin files its config uses, where they were and what they held: what rebuilds its net
   * (lesion, landscape, shatter). Absent in runs written before it was recorded.
   */
  plugins?: { path: string; sha256: string }[];
  /** The numerics it trains under now; absent in runs written before they were recorded. */
  numerics?: Numerics;
  /** Resumes that continued under other numerics (--allow-numerics-change). */
  numericsChanges?: NumericsChange[];
  versions: Record<string, string>; // gradflow, tfjs, node
  gitCommit: string | null;
  host: string;
  /** The CPU the run (last) trained on; absent in runs written before it was recorded. */
  machine?: Machine;
  startedAt: string; // ISO
  endedAt?: string;
  wallSeconds?: number;
  params: { trainable: number; total: number };
  residual: boolean;
  /** Classes the net tells apart (chance error is 1 - 1/classes); absent in runs written before it was recorded. */
  classes?: number;
  /** Weighted (conv + dense) layers, as the model family counts them: the depth a report plots. */
  weightedLayers?: number;
  steps: number; // steps done so far
  totalSteps: number;
  final?: {
    trainError: number;
    trainLoss: number;
    testError: number;
    testLoss: number;
    /** Training examples the final training error was measured on; absent in older runs (2048 or fewer). */
    trainExamples?: number;
  };
  warnings: HealthWarning[];
}

/** metrics.csv: one observation per row. split is train | test | val. */
export interface MetricRow {
  step: number;
  epoch: number;
  split: string;
  metric: string; // loss | error | lr | step_ms
  value: number;
}
export const METRIC_COLUMNS = ['step', 'epoch', 'split', 'metric', 'value'] as const;

/** layers.csv: one per-layer statistic per row. */
export interface LayerRow {
  step: number;
  layer: string; // stable parameter-layer name, e.g. stage2.block3.conv1
  depth_index: number;
  kind: string; // conv | dense (main path) | shortcut (a projection beside it, sharing the index before it)
  stat: string; // grad_norm | weight_norm | grad_weight_ratio | update_ratio | weight_drift | response_std | response_mean | dead_fraction
  value: number;
}
export const LAYER_COLUMNS = ['step', 'layer', 'depth_index', 'kind', 'stat', 'value'] as const;

/** lesion.csv (gradflow lesion): intact, chance, each block deleted alone, k random blocks deleted together. */
export interface LesionRow {
  mode: 'intact' | 'chance' | 'single' | 'random';
  k: number;
  draw: number;
  block: string; // stage2.block3; '+'-joined for random sets; '' for intact and chance
  depth_index: number; // of the block's first weighted layer in the intact net; NaN for sets
  error: number;
  status: string; // ok, or why the block was not deleted
}
export const LESION_COLUMNS = ['mode', 'k', 'draw', 'block', 'depth_index', 'error', 'status'] as const;

/** landscape.csv (gradflow landscape): loss and error of the training subset at θ + alpha·δ + beta·η. */
export interface LandscapeRow {
  dir: '1d' | '2d';
  alpha: number;
  beta: number;
  loss: number;
  error: number;
}
export const LANDSCAPE_COLUMNS = ['dir', 'alpha', 'beta', 'loss', 'error'] as const;

/**
 * shatter.csv (gradflow shatter): input gradients of a net at initialisation along a line of inputs.
 * series 'gradient': the derivative of the output along the line at position t in [0, 1];
 * 'autocorrelation': the correlation of gradient vectors `position` points apart, averaged along
 * the line; 'skipped': a variant that could not be built (value NaN, status says why).
 */
export interface ShatterRow {
  norm: string; // the net's normalisation in this row (the run's own, or 'none' for its counterpart)
  series: 'gradient' | 'autocorrelation' | 'skipped';
  position: number;
  value: number;
  status: string;
}
export const SHATTER_COLUMNS = ['norm', 'series', 'position', 'value', 'status'] as const;
