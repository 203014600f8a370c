// Reading an experiment file from disk: JSON syntax, plugin files, then the plan. Anything wrong
// becomes one UserError (exit code 2) listing every problem, before a single run starts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../ground/errors.js';
import { parseJsonText } from '../ground/json-file.js';
import type { RunConfig } from '../config/schema.js';
import { formatProblems, type Problem } from './json-path.js';
import type { ModelChecker } from './model-check.js';
import { EXPERIMENT_NAME } from './experiment.js';
import { planExperiment, type ExperimentPlan } from './plan.js';

/** What a worker needs to train one run (the trainer's RunSpec). */
export interface SweepRunSpec {
  id: string;
  experiment: string;
  config: RunConfig;
  plugins?: string[]; // absolute paths
}

export interface LoadedExperiment extends Omit<ExperimentPlan, 'plugins'> {
  file: string; // absolute path
  plugins: string[]; // absolute paths
  specs: SweepRunSpec[];
}

export interface LoadOptions {
  /** Block and depth checks; by default the block registry, after loading the plugins. */
  checkModel?: ModelChecker;
}

/** Deeper than any experiment needs; the checks below recurse, and a stack overflow names nothing. */
const MAX_NESTING = 64;

function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING) break;
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The experiment's name when the file gives none: its file name, held to the same rule as "name". */
function nameFromFile(path: string): string {
  const name = basename(path).replace(/\.json$/i, '');
  if (!EXPERIMENT_NAME.test(name)) {
    throw new UserError(
      `${path}: the experiment has no "name" and its file name gives "${name}", which cannot name a results directory ` +
        `(letters, digits, ".", "_" and "-", starting with a letter or digit); add "name" to the file`,
    );
  }
  return name;
}

export async function loadExperiment(file: string, opts: LoadOptions = {}): Promise<LoadedExperiment> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UserError(`experiment file not found: ${file}`);
  if (statSync(path).isDirectory())
    throw new UserError(`${file}: is a directory; name an experiment file (experiments/*.json)`);
  const raw = parseJsonText(readFileSync(path, 'utf8'), file);
  if (nestingDepth(raw) > MAX_NESTING) {
    throw new UserError(
      `${file}: nested more than ${MAX_NESTING} levels deep; an experiment file is a few levels of objects`,
    );
  }

  const plugins: string[] = [];
  const pluginProblems: Problem[] = [];
  const rawPlugins = (raw as { plugins?: unknown })?.plugins;
  if (Array.isArray(rawPlugins)) {
    rawPlugins.forEach((p, i) => {
      if (typeof p !== 'string') return; // the schema reports it
      const abs = resolve(dirname(path), p);
      if (existsSync(abs)) plugins.push(abs);
      else pluginProblems.push({ path: `plugins[${i}]`, message: `file not found: ${abs}` });
    });
  }

  const checkModel =
    opts.checkModel ?? (await (await import('./registry-check.js')).registryChecker(plugins));
  const named = typeof (raw as { name?: unknown })?.name === 'string';
  const { plan, problems } = planExperiment(raw, named ? '' : nameFromFile(path), checkModel);
  const all = [...problems, ...pluginProblems];
  if (all.length || !plan) throw new UserError(formatProblems(file, all));

  return {
    ...plan,
    file: path,
    plugins,
    specs: plan.runs.map((run) => ({
      id: run.id,
      experiment: plan.name,
      config: run.config,
      ...(plugins.length ? { plugins } : {}),
    })),
  };
}
