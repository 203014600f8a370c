// Before a sweep starts anything: the runs it would resume under other numerics than they trained under.
import { join } from 'node:path';
import { readManifest } from '../store/run-dir.js';
import { numericsDifferences, numericsOf, recordedNumerics, type Numerics } from '../train/numerics.js';
import type { AssessedRun } from './run-sweep.js';

export function resumeNumericsConflicts(
  runs: AssessedRun[],
  experimentDir: string,
  engine: { name: string; version: string; threads: number },
): { id: string; step: number; was: Numerics; now: Numerics }[] {
  const now = numericsOf(engine);
  const conflicts = [];
  for (const { spec, state } of runs) {
    const step = state.kind === 'resume' ? state.step : state.kind === 'retry' ? state.step : null;
    if (step === null || step === 0) continue;
    const manifest = readManifest(join(experimentDir, spec.id));
    if (!manifest) continue;
    const was = recordedNumerics(manifest);
    if (numericsDifferences(was, now).length) conflicts.push({ id: spec.id, step, was, now });
  }
  return conflicts;
}
