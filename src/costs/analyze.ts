// One model's analysis: trace the network the trainer would build (shape mode, nothing allocated),
// then count. This is the library entry point behind `gradflow analyze`.
import { networkFor, type NetworkSpec } from '../models/index.js';
import { countGraph, type Counts, type LayerRow, type Totals } from './count.js';
import { traceGraph, type Graph } from './graph.js';
import { formatInput, type AnalysisTarget } from './targets.js';

export interface ModelAnalysis extends Totals {
  model: string;
  input: string;
  /** Batch the activation memory is given at. */
  batch: number;
  weighted_layers: number;
  conv_layers: number;
  conv_params: number;
  conv_macs: number;
  fc_layers: number;
  fc_params: number;
  fc_macs: number;
  /** Element counts per image of the ops not counted as MACs. */
  norm_elements: number;
  activation_elements: number;
  add_elements: number;
  pool_reads: number;
  layers?: LayerRow[];
  /** Measured with --time (ms per image). */
  forward_ms_per_image?: number;
  train_ms_per_image?: number;
  time_backend?: string;
  time_batch?: number;
}

export interface AnalyzeOptions {
  batch?: number;
  perLayer?: boolean;
}

/** The network the trainer would build for a target (src/models, the same code that trains). */
export function targetNetwork(target: AnalysisTarget): NetworkSpec {
  return networkFor(target.cfg, target.inputShape, target.numClasses);
}

/** The dataflow graph of a target's network at `batch` (1 by default). */
export function targetGraph(target: AnalysisTarget, batch = 1): Graph {
  return traceGraph(targetNetwork(target), target.inputShape, batch);
}

export function summarize(
  label: string,
  input: number[],
  counts: Counts,
  batch: number,
  perLayer: boolean,
): ModelAnalysis {
  return {
    model: label,
    input: formatInput(input),
    batch,
    params: counts.params,
    trainable_params: counts.trainable_params,
    macs: counts.macs,
    flops: counts.flops,
    weight_bytes: counts.weight_bytes,
    activation_bytes: counts.activation_bytes,
    weighted_layers: counts.conv.layers + counts.fc.layers,
    conv_layers: counts.conv.layers,
    conv_params: counts.conv.params,
    conv_macs: counts.conv.macs,
    fc_layers: counts.fc.layers,
    fc_params: counts.fc.params,
    fc_macs: counts.fc.macs,
    norm_elements: counts.elementwise.norm,
    activation_elements: counts.elementwise.activation,
    add_elements: counts.elementwise.add,
    pool_reads: counts.elementwise.pool,
    ...(perLayer ? { layers: counts.layers } : {}),
  };
}

/** Count one target; activation memory at `opts.batch` (default 1). */
export function analyzeTarget(target: AnalysisTarget, opts: AnalyzeOptions = {}): ModelAnalysis {
  const batch = opts.batch ?? 1;
  const counts = countGraph(targetGraph(target), batch);
  return summarize(target.label, target.inputShape, counts, batch, opts.perLayer ?? false);
}
