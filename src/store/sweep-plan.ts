// plan.json in an experiment's results directory: every run its experiment file asks for, written
// when a sweep starts, so a reader (gradflow serve) knows the runs not yet begun and the sweep's size.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../ground/atomic.js';

export interface SweepPlan {
  experiment: string;
  /** Run ids, in the experiment file's order. */
  runs: string[];
}

export const sweepPlanPath = (experimentDir: string): string => join(experimentDir, 'plan.json');

export function writeSweepPlan(experimentDir: string, plan: SweepPlan): void {
  writeJsonAtomic(sweepPlanPath(experimentDir), plan);
}

/** The plan in `experimentDir`, or null where there is none or it is not one (an older sweep). */
export async function readSweepPlan(experimentDir: string): Promise<SweepPlan | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(sweepPlanPath(experimentDir), 'utf8'));
  } catch {
    return null;
  }
  const plan = parsed as Partial<SweepPlan> | null;
  const valid =
    typeof plan?.experiment === 'string' &&
    Array.isArray(plan.runs) &&
    plan.runs.every((id) => typeof id === 'string');
  return valid ? (plan as SweepPlan) : null;
}
