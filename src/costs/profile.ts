// Where a training step's time goes: one step run under tf.profile, its kernels' own times summed
// by kernel name, and the rest of the step's wall time (JavaScript between kernels: dispatch, the
// tape, tidy, the optimiser's bookkeeping) said as one number beside them.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../models/types.js';
import { trainingStep } from './timing.js';

export interface KernelTime {
  kernel: string;
  calls: number;
  ms: number;
}

export interface StepProfile {
  /** Wall time of the profiled step. */
  stepMs: number;
  /** Sum of every kernel's own time. */
  kernelMs: number;
  /** stepMs − kernelMs: the JavaScript between kernels. */
  otherMs: number;
  /** By kernel name, most time first. */
  kernels: KernelTime[];
}

/** Sums kernel records by name, most time first. */
export function byKernel(records: readonly { name: string; kernelTimeMs: number }[]): KernelTime[] {
  const out = new Map<string, KernelTime>();
  for (const r of records) {
    const k = out.get(r.name) ?? { kernel: r.name, calls: 0, ms: 0 };
    k.calls++;
    k.ms += Number.isFinite(r.kernelTimeMs) ? r.kernelTimeMs : 0;
    out.set(r.name, k);
  }
  return [...out.values()].sort((a, b) => b.ms - a.ms);
}

/**
 * Profiles one training step of `model` (the step `gradflow bench` times) after `warmup`
 * untimed steps. Kernels are timed one by one, which serialises nothing on the CPU backends but adds
 * a clock read per kernel; the step's wall time is measured around the whole profile.
 */
export async function profileStep(
  model: Model,
  batch: number,
  warmup: number,
  seed = 0,
): Promise<StepProfile> {
  const { step, dispose } = trainingStep(model, batch, seed);
  // A profile reads every output back when this is on, which is not what a training step does.
  const checking = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  try {
    for (let i = 0; i < Math.max(1, warmup); i++) await step();
    const t0 = performance.now();
    const info = await tf.profile(step);
    const stepMs = performance.now() - t0;
    const kernels = byKernel(info.kernels as unknown as { name: string; kernelTimeMs: number }[]);
    const kernelMs = kernels.reduce((sum, k) => sum + k.ms, 0);
    return { stepMs, kernelMs, otherMs: stepMs - kernelMs, kernels };
  } finally {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', checking);
    dispose();
  }
}

/** The profile as a table: kernels with at least 1% of the step, the rest summed, then the JavaScript between kernels. */
export function profileText(p: StepProfile): string {
  const pct = (ms: number) => `${((100 * ms) / p.stepMs).toFixed(1).padStart(5)}%`;
  const row = (name: string, calls: string, ms: number) =>
    `  ${name.padEnd(34)} ${calls.padStart(6)} ${ms.toFixed(1).padStart(9)} ms ${pct(ms)}`;
  const shown = p.kernels.filter((k) => k.ms >= 0.01 * p.stepMs);
  const rest = p.kernels.filter((k) => k.ms < 0.01 * p.stepMs);
  const lines = [
    `profile of one step: ${p.stepMs.toFixed(1)} ms wall, ${p.kernelMs.toFixed(1)} ms in ${p.kernels.reduce((n, k) => n + k.calls, 0)} kernel calls`,
    `  ${'kernel'.padEnd(34)} ${'calls'.padStart(6)} ${'time'.padStart(12)} ${'share'.padStart(6)}`,
    ...shown.map((k) => row(k.kernel, String(k.calls), k.ms)),
  ];
  if (rest.length > 0)
    lines.push(
      row(
        `${rest.length} other kernels`,
        String(rest.reduce((n, k) => n + k.calls, 0)),
        rest.reduce((s, k) => s + k.ms, 0),
      ),
    );
  lines.push(row('JavaScript between kernels', '', p.otherMs));
  return lines.join('\n');
}
