// What a run *is*: everything that determines its results, and a fingerprint of it. A run
// directory whose recorded fingerprint differs from the one its configuration has now holds the
// results of another run, and is never reused or resumed under the new configuration.
//
// In the identity: the resolved run config; the contents of the dataset files (by digest, so
// the same files at another path are the same data, and changed files under the same path are
// not); the contents of the plugin files whose registrations the config uses (editing one block's
// file changes only that block's runs); the transfer source's own fingerprint.
// Left out: data.path (the content stands for it), train.checkpointMinutes (resume is exact), host and
// code version. The numerics (backend, threads, instruction set) change the rounding, not what the run
// is: they are recorded and checked on resume apart from the identity (numerics.ts).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { RunConfig } from '../config/schema.js';
import { datasetFiles } from '../data/index.js';
import { registeredBy } from '../ground/registry.js';
import { readManifest, transferSourceDir } from '../store/run-dir.js';
import type { RunIdentity } from '../store/types.js';

export type { RunIdentity } from '../store/types.js';

/** A changed leaf between two identities: a JSON path and its old and new values. */
export interface IdentityChange {
  path: string;
  old: unknown;
  new: unknown;
}

const digests = new Map<string, string>();

/** SHA-256 of a file's bytes, cached per (path, size, mtime) so a sweep hashes each file once. */
export function fileDigest(path: string): string {
  const st = statSync(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  let digest = digests.get(key);
  if (digest === undefined) {
    digest = createHash('sha256').update(readFileSync(path)).digest('hex');
    digests.set(key, digest);
  }
  return digest;
}

/** The config as an identity holds it. */
export function identifiedConfig(config: RunConfig): Record<string, unknown> {
  const { path: _path, ...data } = config.data;
  const { checkpointMinutes: _minutes, ...train } = config.train;
  return { ...config, data, train };
}

/**
 * The plugin files whose registrations a run's config uses: the block, model family and dataset it
 * names, and the probes it records (all of them when it names none). Figures and findings do not
 * change what a run trains. A file not loaded yet (nothing known of it) counts as used.
 */
export function pluginsUsedBy(config: RunConfig, plugins: readonly string[]): string[] {
  const uses = (kind: string, name: string): boolean =>
    (kind === 'block' && name === config.model.block) ||
    (kind === 'model family' && name === config.model.family) ||
    (kind === 'dataset' && name === config.data.name) ||
    (kind === 'probe' && config.probe.enabled && (config.probe.stats?.includes(name) ?? true));
  return plugins.filter((file) => {
    const registered = registeredBy(file);
    return registered.length === 0 || registered.some(([kind, name]) => uses(kind, name));
  });
}

export function runIdentity(
  config: RunConfig,
  plugins: string[],
  transferSource: string | null,
): RunIdentity {
  return {
    config: identifiedConfig(config),
    data: datasetFiles(config.data).map((file) => ({ file: basename(file), sha256: fileDigest(file) })),
    plugins: pluginsUsedBy(config, plugins).map((file) => ({
      file: basename(file),
      sha256: fileDigest(file),
    })),
    transferSource,
  };
}

/**
 * The fingerprint of the run a transfer starts from: for `@id`, the one `known` gives (a sweep
 * computes its runs' fingerprints before training them), else the one its manifest records.
 */
export function transferSourceFingerprint(
  config: RunConfig,
  experimentDir: string,
  known: ReadonlyMap<string, string> = new Map(),
): string | null {
  const t = config.transfer;
  if (!t || t.mode === 'scratch' || t.from === undefined) return null;
  if (t.from.startsWith('@') && known.has(t.from.slice(1))) return known.get(t.from.slice(1))!;
  let manifest;
  try {
    manifest = readManifest(transferSourceDir(t.from, experimentDir));
  } catch {
    manifest = null;
  }
  if (!manifest) return 'missing';
  return (
    manifest.fingerprint ?? `unknown:${createHash('sha256').update(canonical(manifest.config)).digest('hex')}`
  );
}

/** JSON with object keys sorted, so that equal values always serialise the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fingerprintOf(identity: RunIdentity): string {
  return createHash('sha256').update(canonical(identity)).digest('hex');
}

/** The leaves that differ between two identities (or any two JSON values), as dotted paths. */
export function identityChanges(old: unknown, now: unknown, path = ''): IdentityChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObject(old) && isObject(now) && Array.isArray(old) === Array.isArray(now)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])];
    return keys.flatMap((k) => {
      const child = Array.isArray(now) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      return identityChanges(old[k], now[k], child);
    });
  }
  return canonical(old) === canonical(now) ? [] : [{ path: path || '(root)', old, new: now }];
}

let defaults: { config: Record<string, unknown> } | undefined;

/**
 * Options added after runs were recorded whose default does not reproduce what those runs did: an
 * identity without the option stands for this value. model.padding: runs before it padded TF's way.
 */
const BEHAVIOUR_BEFORE_OPTION: Record<string, unknown> = { 'config.model.padding': 'same' };

/**
 * The changes that alter results. A config option added to gradflow after a run was recorded is
 * absent from its identity; at its default it reproduces the old behaviour, so it is not a change
 * (otherwise every new option would orphan every finished study), unless the default changed the
 * behaviour (BEHAVIOUR_BEFORE_OPTION).
 */
export function materialChanges(changes: IdentityChange[]): IdentityChange[] {
  defaults ??= { config: identifiedConfig(RunConfig.parse({})) };
  const atDefault = (c: IdentityChange): boolean => {
    if (c.old !== undefined || !c.path.startsWith('config.')) return false;
    if (c.path in BEHAVIOUR_BEFORE_OPTION)
      return canonical(BEHAVIOUR_BEFORE_OPTION[c.path]) === canonical(c.new);
    let v: unknown = defaults;
    for (const key of c.path.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    return v !== undefined && canonical(v) === canonical(c.new);
  };
  return changes.filter((c) => !atDefault(c));
}

/** `train.lr: 0.1 → 0.05`; digests are shortened, absent values shown as such. */
export function formatChange(c: IdentityChange): string {
  const show = (v: unknown): string => {
    if (v === undefined) return '(absent)';
    const text = JSON.stringify(v);
    return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? `${v.slice(0, 12)}…` : text;
  };
  return `${c.path.replace(/^config\./, '')}: ${show(c.old)} → ${show(c.new)}`;
}
