// What a run's directory holds, judged against the configuration the run has now. Read by
// `gradflow train` and by each sweep worker (under the run's lock, before any work) and by the
// sweep itself (for --dry-run and to refuse a changed experiment before starting anything).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../ground/errors.js';
import { lockHolder, lockPath, describeHolder, type LockHolder } from '../store/run-lock.js';
import { isFinished, readManifest } from '../store/run-dir.js';
import type { Manifest, RunStatus } from '../store/types.js';
import { CheckpointError, verifyCheckpoint } from '../weights/checkpoint.js';
import {
  formatChange,
  identifiedConfig,
  identityChanges,
  materialChanges,
  type IdentityChange,
  type RunIdentity,
} from './identity.js';

export type RunState =
  | { kind: 'new' }
  | { kind: 'done'; status: RunStatus; step: number }
  | { kind: 'resume'; step: number }
  | { kind: 'retry'; step: number | null } // failed; resumes from its checkpoint when it has one
  | { kind: 'changed'; changes: IdentityChange[] }
  | { kind: 'unknown'; changes: IdentityChange[] } // written before runs had fingerprints
  | { kind: 'damaged'; file: string; reason: string; removable: boolean }
  | { kind: 'held'; holder: LockHolder };

/** What may be thrown away and trained again from scratch: `--retrain changed,damaged`. */
export interface RetrainPolicy {
  changed?: boolean; // changed and unknown runs
  damaged?: boolean;
}

export const RETRAIN_KINDS = ['changed', 'damaged'] as const;

/** `--retrain changed,damaged` -> policy; anything else is refused by name. */
export function parseRetrain(value: string | undefined): RetrainPolicy {
  if (value === undefined) return {};
  const kinds = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = kinds.filter((k) => !(RETRAIN_KINDS as readonly string[]).includes(k));
  if (bad.length || kinds.length === 0) {
    throw new UserError(
      `--retrain: expected ${RETRAIN_KINDS.join(', ')} or both comma-separated, got "${value}"`,
    );
  }
  return { changed: kinds.includes('changed'), damaged: kinds.includes('damaged') };
}

interface StateOptions {
  /** The caller holds the run's lock: do not report it as held. */
  locked?: boolean;
}

/** Something other than a directory where the run directory goes: no flag may delete it. */
export function blockedRunDir(runDir: string): Extract<RunState, { kind: 'damaged' }> | null {
  if (!existsSync(runDir) || statSync(runDir).isDirectory()) return null;
  return {
    kind: 'damaged',
    file: runDir,
    reason: 'a file is where the run directory goes; move it away',
    removable: false,
  };
}

export function runState(
  runDir: string,
  fingerprint: string,
  identity: RunIdentity,
  opts: StateOptions = {},
): RunState {
  if (!existsSync(runDir)) return { kind: 'new' };
  const blocked = blockedRunDir(runDir);
  if (blocked) return blocked;
  if (!opts.locked) {
    const holder = lockHolder(runDir);
    if (holder) return { kind: 'held', holder };
  }
  let manifest: Manifest | null;
  try {
    manifest = readManifest(runDir);
  } catch (err) {
    return {
      kind: 'damaged',
      file: join(runDir, 'manifest.json'),
      reason: (err as Error).message,
      removable: true,
    };
  }
  if (manifest) {
    if (manifest.fingerprint === undefined) {
      const changes = identityChanges(
        { config: identifiedConfig(manifest.config) },
        { config: identity.config },
      );
      return { kind: 'unknown', changes: materialChanges(changes) };
    }
    if (manifest.fingerprint !== fingerprint) {
      const changes = materialChanges(identityChanges(manifest.identity ?? {}, identity));
      if (changes.length || !manifest.identity) return { kind: 'changed', changes };
    }
    if (isFinished(manifest)) return { kind: 'done', status: manifest.status, step: manifest.steps };
  }
  // The manifest is written before the first checkpoint, and governs it: same run, same lock.
  let checkpoint: { step: number } | null;
  try {
    checkpoint = verifyCheckpoint<{ step: number }>(runDir);
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    return {
      kind: 'damaged',
      file: err.path,
      reason: err.message.slice(err.path.length + 2),
      removable: true,
    };
  }
  if (checkpoint && !manifest) {
    return {
      kind: 'damaged',
      file: join(runDir, 'manifest.json'),
      reason: 'missing beside a checkpoint',
      removable: true,
    };
  }
  if (manifest?.status === 'failed') return { kind: 'retry', step: checkpoint?.step ?? null };
  return checkpoint ? { kind: 'resume', step: checkpoint.step } : { kind: 'new' };
}

/** Empties a run directory (all but its lock) so the run trains from scratch. */
export function clearRun(runDir: string): void {
  for (const entry of readdirSync(runDir)) {
    const path = join(runDir, entry);
    if (path !== lockPath(runDir)) rmSync(path, { recursive: true, force: true });
  }
}

/** One phrase for listings: "done (completed)", "changed: train.lr: 0.1 → 0.05", ... */
export function describeState(s: RunState): string {
  switch (s.kind) {
    case 'new':
      return 'to run';
    case 'done':
      return s.status;
    case 'resume':
      return `resume at step ${s.step}`;
    case 'retry':
      return s.step === null ? 'failed, will retry' : `failed, will retry from step ${s.step}`;
    case 'changed':
      return `changed: ${s.changes.map(formatChange).join('; ') || 'identity differs'}`;
    case 'unknown':
      return `unknown: written before runs had fingerprints${s.changes.length ? `; config differs: ${s.changes.map(formatChange).join('; ')}` : ''}`;
    case 'damaged':
      return `damaged: ${s.file}: ${s.reason}`;
    case 'held':
      return `held by ${describeHolder(s.holder)}`;
  }
}

/** Stale results found before any work: the runs, what differs, and the ways forward. */
export class StaleRunsError extends UserError {
  constructor(runs: { id: string; state: RunState }[], otherName: string) {
    const lines = runs.map(({ id, state }) => `  ${id}: ${describeState(state)}`);
    const which = runs.length === 1 ? '1 run on disk belongs' : `${runs.length} runs on disk belong`;
    super(
      `${which} to another configuration; nothing was run:\n${lines.join('\n')}\n` +
        `Ways forward: --retrain changed trains exactly these runs again from scratch (their old results are deleted), ` +
        `or ${otherName} keeps the old results apart.`,
    );
    this.name = 'StaleRunsError';
  }
}

/** A damaged run: the file, what is wrong, and the flag that trains it again. */
export class DamagedRunError extends UserError {
  constructor(id: string, state: Extract<RunState, { kind: 'damaged' }>) {
    super(
      `run ${id} is damaged: ${state.file}: ${state.reason}` +
        (state.removable ? `; --retrain damaged trains it again from scratch` : ''),
    );
    this.name = 'DamagedRunError';
  }
}
