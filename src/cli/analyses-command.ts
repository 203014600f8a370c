// What the analysis commands (gradflow lesion, gradflow landscape) share: the run directories they
// work on, their common options, and running a registered analysis with its settings checked.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { AnalysisDefinition } from '../analyses/definition.js';
import { UserError } from '../ground/errors.js';
import { BACKEND_OPTIONS } from './common-options.js';

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

export interface AnalysisArgs {
  paths: string[];
  force?: boolean;
  plugin?: string[];
  backend?: string;
  threads?: number;
}

/** The positional run paths and the options every analysis command has. */
export function withAnalysisOptions(y: Argv, file: string): Argv {
  return y
    .positional('paths', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'results/<exp> or run dirs',
    })
    .option('force', { type: 'boolean', describe: `recompute ${file} even when it is up to date` })
    .option('plugin', {
      type: 'string',
      array: true,
      describe: "a run's plugin file at a new path (the manifest records where each run's plugins were)",
    })
    .options(BACKEND_OPTIONS);
}

/**
 * Checks the settings that the command's --flags give (`settings` names them, as the analysis' schema
 * does) against the schema, then runs the analysis on every run directory.
 */
export async function runAnalysisCommand<S extends object, R extends object, A extends AnalysisArgs>(
  def: AnalysisDefinition<S, R>,
  args: A,
  settings: readonly (keyof A & string)[],
  cost?: (settings: S, runs: number) => string,
): Promise<void> {
  const given = Object.fromEntries(settings.map((key) => [key, args[key]]));
  const parsed = def.settings.safeParse(given);
  if (!parsed.success) {
    const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UserError(
      parsed.error.issues.map((i) => `${flag(String(i.path[0]))}: ${i.message}`).join('; '),
    );
  }
  const dirs = runDirs(args.paths);
  if (cost) console.log(cost(parsed.data, dirs.length));
  const { initEngine } = await import('../engine/index.js');
  await initEngine({ backend: args.backend, threads: args.threads });
  // Each run's own plugins, as its manifest records them, before any net is built.
  const { loadRunPlugins } = await import('../analyses/trained-run.js');
  const { readManifest } = await import('../store/run-dir.js');
  for (const dir of dirs) {
    const manifest = readManifest(dir);
    if (manifest) await loadRunPlugins(dir, manifest, args.plugin);
  }
  const { analyseRuns } = await import('../analyses/definition.js');
  const { failed } = await analyseRuns(def, dirs, parsed.data, {
    force: args.force,
    log: (line) => console.log(line),
  });
  if (failed.length) {
    throw new UserError(
      `${def.name} failed on ${failed.length} run(s), and wrote nothing for them: ${failed.join(', ')}`,
    );
  }
}
