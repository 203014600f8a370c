// Reading an experiment file from disk: JSON syntax, plugin files, then the plan. Anything wrong
// becomes one UserError (exit code 2) listing every problem, before a single run starts.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { RunConfig } from '../config/schema.js';
import { formatProblems, type Problem } from './json-path.js';
import type { ModelChecker } from './model-check.js';
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

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
}

export async function loadExperiment(file: string, opts: LoadOptions = {}): Promise<LoadedExperiment> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UserError(`experiment file not found: ${file}`);
  const raw = parseJson(file, readFileSync(path, 'utf8'));

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
  const { plan, problems } = planExperiment(raw, basename(path).replace(/\.json$/i, ''), checkModel);
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
