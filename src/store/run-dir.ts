// The layout of one run's directory and its manifest.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../ground/atomic.js';
import type { Manifest } from './types.js';

export const runFiles = (runDir: string) => ({
  manifest: join(runDir, 'manifest.json'),
  metrics: join(runDir, 'metrics.csv'),
  layers: join(runDir, 'layers.csv'),
  checkpointDir: join(runDir, 'checkpoint'),
});

export function readManifest(runDir: string): Manifest | null {
  const path = runFiles(runDir).manifest;
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    throw new Error(`${path}: unreadable manifest (${(e as Error).message})`);
  }
}

/** A run that ended as a result (completed, or diverged: divergence is a result too). */
export const isFinished = (m: Manifest | null | undefined): boolean =>
  m?.status === 'completed' || m?.status === 'diverged';

export function writeManifest(runDir: string, manifest: Manifest): void {
  writeJsonAtomic(runFiles(runDir).manifest, manifest);
}

/** transfer.from: `@run-id` names a run of the same experiment; anything else is a run directory. */
export function transferSourceDir(from: string, experimentDir: string): string {
  return from.startsWith('@') ? resolve(experimentDir, from.slice(1)) : resolve(from);
}
