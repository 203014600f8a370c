// The run directories an analysis command works on: each path is a run directory (holds
// manifest.json) or an experiment directory (its children that are).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../ground/errors.js';

/** Run directories under each path: the path itself when it is one, else its children that are. */
export function runDirs(paths: string[]): string[] {
  const dirs: string[] = [];
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new UserError(`${path} is not a directory`);
    if (existsSync(join(path, 'manifest.json'))) dirs.push(path);
    else {
      const runs = readdirSync(path, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(path, e.name, 'manifest.json')))
        .map((e) => join(path, e.name))
        .sort();
      if (runs.length === 0) throw new UserError(`${path} holds no run directories (no */manifest.json)`);
      dirs.push(...runs);
    }
  }
  return dirs;
}
