// Learning rate as a pure function of the step, plus He et al.'s "warm up at a low rate until
// training error falls below 80%" rule, which depends on training progress (the trainer tracks it).
import type { TrainConfig } from '../config/schema.js';

export function learningRate(cfg: TrainConfig, step: number, totalSteps: number, warmedUp: boolean): number {
  const warmup = cfg.warmup;
  if (warmup?.type === 'until-error' && !warmedUp) return warmup.lr;
  let lr = cfg.lr;
  const s = cfg.schedule;
  if (s.type === 'step') {
    for (const m of s.milestones) if (step >= Math.round(m * totalSteps)) lr *= s.gamma;
  } else if (s.type === 'cosine') {
    lr = s.minLr + 0.5 * (cfg.lr - s.minLr) * (1 + Math.cos((Math.PI * step) / totalSteps));
  }
  if (warmup?.type === 'linear' && step < warmup.steps) lr *= (step + 1) / warmup.steps;
  return lr;
}
