// Measured cost of a model on the current backend: one real training step (the trainer's own
// forwardBackward + SGD update) and one training-mode forward pass, on seeded synthetic input.
// Shared by `gradflow bench` and `gradflow analyze --time`.
import * as tf from '@tensorflow/tfjs';
import { instantiate, type NetworkSpec } from '../models/network.js';
import type { Model } from '../models/types.js';
import { makeOptimizer } from '../train/optimizers.js';
import { disposeStep, forwardBackward } from '../train/step.js';

export interface TimingOptions {
  batch: number;
  steps: number;
  /** Untimed steps first: kernels compile, buffers and the optimiser's momentum slots appear. */
  warmup: number;
  /** Forward passes timed (default: min(steps, 5)). */
  forwardReps?: number;
  seed?: number;
}

export interface Timing {
  stepMs: number[];
  forwardMs: number[];
  /** tf.memory().numTensors after warm-up and after the timed steps: equal unless something leaks. */
  numTensorsBefore: number;
  numTensorsAfter: number;
}

/** He et al.'s recipe, as the trainer runs it (the rate only scales the update, not its cost). */
const SGD = { optimizer: 'sgd' as const, momentum: 0.9, weightDecay: 1e-4 };
const LR = 0.01;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seeded standard-normal input and uniform labels, made once and reused every step. */
export function syntheticBatch(
  model: Model,
  batch: number,
  seed: number,
): { x: tf.Tensor; labels: tf.Tensor1D } {
  return tf.tidy(() => ({
    x: tf.randomNormal([batch, ...model.inputShape], 0, 1, 'float32', seed),
    labels: tf.randomUniform([batch], 0, model.numClasses, 'int32', seed + 1) as tf.Tensor1D,
  }));
}

/**
 * One real training step on a seeded synthetic batch, as the trainer runs it; `step` resolves with
 * its wall time once every kernel has finished. `dispose` frees the batch and the optimiser.
 */
export function trainingStep(
  model: Model,
  batch: number,
  seed: number,
): { x: tf.Tensor; step: () => Promise<number>; dispose: () => void } {
  const { x, labels } = syntheticBatch(model, batch, seed);
  const trainable = model.params.filter((p) => p.trainable);
  const paramsByName = new Map(model.params.map((p) => [p.name, p.variable]));
  const optimizer = makeOptimizer(SGD);
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const out = forwardBackward(model, x, labels, trainable, { tap: false });
    optimizer.apply(paramsByName, Object.fromEntries(out.grads), LR);
    // Reading the loss and one updated weight waits for every queued kernel on async backends.
    await out.loss.data();
    await trainable[0]?.variable.data();
    const ms = performance.now() - t0;
    disposeStep(out);
    return ms;
  };
  return { x, step, dispose: () => (optimizer.dispose(), tf.dispose([x, labels])) };
}

export async function timeModel(model: Model, opts: TimingOptions): Promise<Timing> {
  if (opts.warmup < 1)
    throw new Error('timeModel: warmup must be >= 1 (the first step creates optimiser state)');
  const { x, step, dispose } = trainingStep(model, opts.batch, opts.seed ?? 0);
  const forward = async (): Promise<number> => {
    const t0 = performance.now();
    const logits = tf.tidy(() => model.forward(x, { training: true }).logits);
    await logits.data();
    const ms = performance.now() - t0;
    logits.dispose();
    return ms;
  };
  try {
    for (let i = 0; i < opts.warmup; i++) await step();
    await forward();
    const numTensorsBefore = tf.memory().numTensors;
    const stepMs: number[] = [];
    for (let i = 0; i < opts.steps; i++) stepMs.push(await step());
    const forwardMs: number[] = [];
    for (let i = 0; i < (opts.forwardReps ?? Math.min(opts.steps, 5)); i++) forwardMs.push(await forward());
    const numTensorsAfter = tf.memory().numTensors;
    return { stepMs, forwardMs, numTensorsBefore, numTensorsAfter };
  } finally {
    dispose();
  }
}

/** Median ms per image of a training-mode forward pass and of a training step, at a small batch. */
export async function timePerImage(
  spec: NetworkSpec,
  inputShape: number[],
  numClasses: number,
  opts: { batch: number; steps: number; seed?: number },
): Promise<{ forwardMsPerImage: number; trainMsPerImage: number }> {
  const model = instantiate(spec, inputShape, numClasses, opts.seed ?? 0);
  try {
    const t = await timeModel(model, {
      batch: opts.batch,
      steps: opts.steps,
      warmup: 1,
      forwardReps: opts.steps,
      seed: opts.seed,
    });
    if (t.numTensorsBefore !== t.numTensorsAfter) {
      throw new Error(
        `tensor leak while timing ${spec.name}: numTensors ${t.numTensorsBefore} -> ${t.numTensorsAfter}`,
      );
    }
    return {
      forwardMsPerImage: median(t.forwardMs) / opts.batch,
      trainMsPerImage: median(t.stepMs) / opts.batch,
    };
  } finally {
    model.dispose();
  }
}
