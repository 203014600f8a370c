// `gradflow bench`: the training-step time of one model on one backend, with the analyzer's FLOP
// count turned into achieved GFLOP/s. A training step is taken as 3x the forward FLOPs (forward,
// input gradient and weight gradient each cost about one forward), the usual convention.
import { UserError } from '../ground/errors.js';
import { analyzeTarget } from './analyze.js';
import { builtinTarget, MLP_INPUT, type AnalysisTarget } from './targets.js';
import { profileStep, profileText, type StepProfile } from './profile.js';
import { median, timeModel } from './timing.js';
import { ModelConfig } from '../config/schema.js';

export interface BenchOptions {
  /** 'cifar' or 'mlp' (then depth/block/width apply), or any `gradflow analyze` model name. */
  model: string;
  depth: number;
  block: string;
  width?: number;
  shortcut?: 'A' | 'B' | 'C';
  /** Per-example input; default 28x28x1 (cifar), 784 (mlp), or a named model's own. */
  input?: number[];
  batch: number;
  steps: number;
  warmup: number;
  threads?: number;
  backend?: string;
  seed: number;
  numClasses?: number;
  /** Also profile one step, kernel by kernel. */
  profile?: boolean;
}

export interface BenchResult {
  model: string;
  batch: number;
  size: number;
  channels: number;
  threads: number;
  backend: string;
  backend_version: string;
  simd: boolean;
  params: number;
  trainable_params: number;
  steps: number;
  warmup: number;
  step_ms_median: number;
  step_ms_min: number;
  forward_ms_median: number;
  images_per_s: number;
  /** Analyzer count: 2 x MACs per image, forward only. */
  forward_flops_per_image: number;
  /** 3 x forward FLOPs x batch / median step time. */
  train_gflops_per_s: number;
  forward_gflops_per_s: number;
  num_tensors_before: number;
  num_tensors_after: number;
  peak_rss_mb: number;
  /** With --profile: one step's time by kernel. */
  profile?: StepProfile;
}

/** The network `bench` times: a family built from the flags, or a named model. */
export function benchTarget(o: BenchOptions): AnalysisTarget {
  if (o.model === 'cifar' || o.model === 'mlp') {
    const cfg = ModelConfig.parse({
      family: o.model,
      depth: o.depth,
      block: o.block,
      ...(o.width != null ? { width: o.width } : {}),
      ...(o.shortcut != null ? { shortcut: o.shortcut } : {}),
    });
    const inputShape = o.input ?? (o.model === 'mlp' ? MLP_INPUT : BENCH_INPUT);
    return { label: `${o.model}-${o.block}-d${o.depth}`, cfg, inputShape, numClasses: o.numClasses ?? 10 };
  }
  return builtinTarget(o.model, o.input);
}

/** Fashion-MNIST's shape: the size the PyTorch comparison uses. */
export const BENCH_INPUT = [28, 28, 1];

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  for (const [flag, v, min] of [
    ['--batch', o.batch, 1],
    ['--steps', o.steps, 1],
    ['--warmup', o.warmup, 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min)
      throw new UserError(`${flag} must be an integer >= ${min}, got ${v}`);
  }
  const target = benchTarget(o);
  // Counting first: a bad model name or depth fails here, before a backend starts.
  const counts = analyzeTarget(target);
  const { initEngine } = await import('../engine/index.js');
  const engine = await initEngine({ backend: o.backend, threads: o.threads });
  const { buildModel } = await import('../models/index.js');
  const model = buildModel(target.cfg, target.inputShape, target.numClasses, o.seed);
  let timing;
  let profile: StepProfile | undefined;
  let peakRss: number;
  try {
    timing = await timeModel(model, { batch: o.batch, steps: o.steps, warmup: o.warmup, seed: o.seed });
    peakRss = Math.round(process.resourceUsage().maxRSS / 1024);
    // After the timed steps and the memory reading, so profiling changes neither.
    if (o.profile) profile = await profileStep(model, o.batch, 1, o.seed);
  } finally {
    model.dispose();
  }
  const stepMedian = median(timing.stepMs);
  const forwardMedian = median(timing.forwardMs);
  const flops = counts.flops;
  return {
    model: target.label,
    batch: o.batch,
    size: target.inputShape[0],
    channels: target.inputShape.length === 3 ? target.inputShape[2] : 1,
    threads: engine.threads,
    backend: engine.name,
    backend_version: engine.version,
    simd: engine.simd,
    params: counts.params,
    trainable_params: counts.trainable_params,
    steps: o.steps,
    warmup: o.warmup,
    step_ms_median: round1(stepMedian),
    step_ms_min: round1(Math.min(...timing.stepMs)),
    forward_ms_median: round1(forwardMedian),
    images_per_s: round1((o.batch * 1000) / stepMedian),
    forward_flops_per_image: flops,
    train_gflops_per_s: round1((3 * flops * o.batch) / (stepMedian * 1e6)),
    forward_gflops_per_s: round1((flops * o.batch) / (forwardMedian * 1e6)),
    num_tensors_before: timing.numTensorsBefore,
    num_tensors_after: timing.numTensorsAfter,
    peak_rss_mb: peakRss,
    ...(profile ? { profile: roundProfile(profile) } : {}),
  };
}

function roundProfile(p: StepProfile): StepProfile {
  return {
    stepMs: round1(p.stepMs),
    kernelMs: round1(p.kernelMs),
    otherMs: round1(p.otherMs),
    kernels: p.kernels.map((k) => ({ ...k, ms: Math.round(k.ms * 100) / 100 })),
  };
}

/** One JSON line, spaced like Python's json.dumps (as the PyTorch reference prints its own), for a ratio script to parse. */
export function benchJsonLine(r: BenchResult): string {
  return `{${Object.entries(r)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/** Human-readable summary. */
export function benchText(r: BenchResult): string {
  return [
    `${r.model}, batch ${r.batch}, input ${r.size}x${r.size}x${r.channels}, ${r.params.toLocaleString('en-US')} params`,
    `backend ${r.backend} ${r.backend_version}, ${r.threads} thread(s)${r.simd ? ', SIMD' : ''}; ${r.steps} timed steps after ${r.warmup} warm-up`,
    `step      median ${r.step_ms_median} ms, min ${r.step_ms_min} ms  (${r.images_per_s} images/s)`,
    `forward   median ${r.forward_ms_median} ms`,
    `achieved  ${r.train_gflops_per_s} GFLOP/s training (step = 3 x forward FLOPs), ${r.forward_gflops_per_s} GFLOP/s forward`,
    `           (forward ${(r.forward_flops_per_image / 1e6).toFixed(1)} MFLOP/image = 2 x MACs, gradflow analyze)`,
    `tensors   ${r.num_tensors_before} before, ${r.num_tensors_after} after`,
    `peak RSS  ${r.peak_rss_mb} MB`,
    ...(r.profile ? [profileText(r.profile)] : []),
  ].join('\n');
}

/** A leak makes every long run slower and then crash: refuse to report a number over one. */
export function checkNoLeak(r: BenchResult): void {
  if (r.num_tensors_before !== r.num_tensors_after) {
    throw new Error(
      `tensor leak: tf.memory().numTensors was ${r.num_tensors_before} after warm-up and ${r.num_tensors_after} after ${r.steps} steps ` +
        `(backend ${r.backend}); a training step or forward pass leaves tensors undisposed`,
    );
  }
}
