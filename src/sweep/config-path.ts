// Dotted config paths ("model.depth", "train.schedule.milestones") as used by an experiment's
// sweep, include and exclude: resolving them against the RunConfig schema (so a typo is caught
// before anything runs) and reading/writing them in plain config objects.
import type { z } from 'zod';
import { RunConfig } from '../config/schema.js';

type AnySchema = z.ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  shape?: Record<string, AnySchema>;
  options?: AnySchema[];
  valueType?: AnySchema;
}

const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Defaults and optionals wrap the schema that says what a value may be. */
function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'prefault') && def.innerType) {
      current = def.innerType;
    } else return current;
  }
}

/**
 * The schemas a dotted path may name inside `root` (several where it crosses a union, e.g.
 * train.schedule.gamma exists only for step schedules); empty when the path names nothing.
 */
export function schemasAtPath(path: string, root: AnySchema = RunConfig): AnySchema[] {
  let current: AnySchema[] = [root];
  for (const key of path.split('.')) {
    const next: AnySchema[] = [];
    for (const candidate of current) {
      const schema = unwrap(candidate);
      const def = defOf(schema);
      if (def.type === 'object' && def.shape && Object.hasOwn(def.shape, key)) next.push(def.shape[key]);
      else if (def.type === 'record' && def.valueType) next.push(def.valueType);
      else if (def.type === 'union' && def.options) {
        for (const option of def.options) next.push(...schemasAtPath(key, option));
      }
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

export function configPathExists(path: string): boolean {
  return path !== '' && schemasAtPath(path).length > 0;
}

/** Is `value` acceptable at `path`? Returns the schema's complaint, or undefined. */
export function checkValueAtPath(path: string, value: unknown): string | undefined {
  const complaints: string[] = [];
  for (const schema of schemasAtPath(path)) {
    const result = schema.safeParse(value);
    if (result.success) return undefined;
    complaints.push(
      ...result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message),
    );
  }
  return [...new Set(complaints)].join('; ') || 'no such config path';
}

/** The value as the config will hold it (defaults filled in); unchanged when it does not parse. */
export function parseAtPath(path: string, value: unknown): unknown {
  for (const schema of schemasAtPath(path)) {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
  }
  return value;
}

export function getAtPath(obj: unknown, path: string): unknown {
  let current = obj;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A copy of `obj` with `value` at `path`, creating objects on the way. */
export function setAtPath<T extends Record<string, unknown>>(obj: T, path: string, value: unknown): T {
  const keys = path.split('.');
  const copy: Record<string, unknown> = { ...obj };
  let cursor = copy;
  for (const key of keys.slice(0, -1)) {
    const existing = cursor[key];
    const child =
      existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? { ...existing } : {};
    cursor[key] = child;
    cursor = child as Record<string, unknown>;
  }
  cursor[keys[keys.length - 1]] = value;
  return copy as T;
}

/**
 * Every dotted path a sweep may name (objects too: "train.schedule" swaps a whole schedule), and
 * the prefixes under which any key goes (records such as model.blockOptions).
 */
export function configPaths(root: AnySchema = RunConfig): { paths: string[]; openPrefixes: string[] } {
  const paths = new Set<string>();
  const openPrefixes = new Set<string>();
  const walk = (schema: AnySchema, prefix: string): void => {
    const def = defOf(unwrap(schema));
    if (def.type === 'object' && def.shape) {
      for (const [key, child] of Object.entries(def.shape)) {
        const path = prefix ? `${prefix}.${key}` : key;
        paths.add(path);
        walk(child, path);
      }
    } else if (def.type === 'union' && def.options) {
      for (const option of def.options) walk(option, prefix);
    } else if (def.type === 'record' && prefix) {
      openPrefixes.add(`${prefix}.`);
    }
  };
  walk(root, '');
  return { paths: [...paths], openPrefixes: [...openPrefixes] };
}
