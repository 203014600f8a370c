// From an experiment file's parsed JSON to the list of runs it asks for. Every problem is
// collected (schema, sweep paths and values, include/exclude, blocks, depths) and reported with
// the JSON path of the value at fault, so one attempt shows the user everything to fix.
import { isDeepStrictEqual } from 'node:util';
import { RunConfig } from '../config/schema.js';
import { checkValueAtPath, configPathExists, getAtPath, setAtPath } from './config-path.js';
import { ExperimentFile } from './experiment.js';
import { formatJsonPath, type PathSegment, type Problem } from './json-path.js';
import type { ModelChecker } from './model-check.js';
import { axisFacets, runId, type FacetPath } from './run-id.js';
import { dependencyProblems } from './dependencies.js';
import { withPretrainRuns } from './pretrain.js';

export interface PlannedRun {
  id: string;
  config: RunConfig;
}

export interface ExperimentPlan {
  name: string;
  description: string;
  /** Plugin paths as written, relative to the experiment file. */
  plugins: string[];
  /** Analyses to run on each completed run after training, as written (checked by the analysis registry). */
  analyses: (string | { name: string })[];
  runs: PlannedRun[];
}

export interface PlanResult {
  plan?: ExperimentPlan; // present only when there are no problems
  problems: Problem[];
}

type RawConfig = Record<string, unknown>;

/** One value a run's config takes, and where in the file it came from. */
interface Setting {
  path: string; // config path
  value: unknown;
  source: PathSegment[]; // JSON path in the experiment file
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function schemaProblems(raw: unknown): Problem[] {
  const result = ExperimentFile.safeParse(raw);
  if (result.success) return [];
  const problems: Problem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ path: formatJsonPath([...issue.path, key]), message: 'unknown key' });
      }
    } else problems.push({ path: formatJsonPath(issue.path), message: issue.message });
  }
  return problems;
}

/** Checks an assignment map (a sweep, an include entry): paths exist and values fit them. */
function assignmentProblems(
  entries: [string, unknown][],
  where: PathSegment[],
  valuesAreLists: boolean,
): { problems: Problem[]; valid: Setting[][] } {
  const problems: Problem[] = [];
  const valid: Setting[][] = [];
  for (const [path, raw] of entries) {
    if (path === 'seeds') {
      problems.push({
        path: formatJsonPath([...where, path]),
        message: 'use "seed" inside a sweep (or top-level "seeds")',
      });
      continue;
    }
    if (!configPathExists(path)) {
      problems.push({
        path: formatJsonPath([...where, path]),
        message: `"${path}" is not a run config path`,
      });
      continue;
    }
    const values = valuesAreLists ? (Array.isArray(raw) ? raw : []) : [raw];
    const settings: Setting[] = [];
    values.forEach((value, i) => {
      const source = valuesAreLists ? [...where, path, i] : [...where, path];
      const complaint = checkValueAtPath(path, value);
      if (complaint) problems.push({ path: formatJsonPath(source), message: complaint });
      else settings.push({ path, value, source });
    });
    if (settings.length) valid.push(settings);
  }
  return { problems, valid };
}

function* cartesian(axes: Setting[][]): Generator<Setting[]> {
  if (axes.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = axes;
  for (const setting of first) for (const tail of cartesian(rest)) yield [setting, ...tail];
}

/** Does `config` match every entry of an exclude pattern (a list means any of its values)? */
function matchesPattern(config: RunConfig, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([path, wanted]) => {
    const actual = getAtPath(config, path);
    if (isDeepStrictEqual(actual, wanted)) return true;
    return Array.isArray(wanted) && wanted.some((w) => isDeepStrictEqual(actual, w));
  });
}

/**
 * The base without its invalid entries (defaults take their place), so the per-run checks can
 * still report the sweep's own problems when the base has some too.
 */
function repairedBase(base: RawConfig): RawConfig {
  let repaired = structuredClone(base);
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = RunConfig.safeParse(repaired);
    if (result.success) return repaired;
    for (const issue of result.error.issues) {
      const path = issue.path;
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        const full = (key === undefined ? path : [...path, key]).map(String);
        if (full.length === 0) return {};
        repaired = deleteAtPath(repaired, full);
      }
    }
  }
  return {};
}

function deleteAtPath(obj: RawConfig, path: string[]): RawConfig {
  const [head, ...rest] = path;
  if (!isPlainObject(obj) || !(head in obj)) return obj;
  const copy: RawConfig = { ...obj };
  if (rest.length === 0 || !isPlainObject(copy[head])) delete copy[head];
  else copy[head] = deleteAtPath(copy[head] as RawConfig, rest);
  return copy;
}

/** Every dataset gradflow reads has 10 labels; `data.classes` keeps fewer. */
const DATASET_CLASSES = 10;

/** A label budget smaller than one batch cannot train: say so before any run starts. */
function budgetProblem(config: RunConfig): string | undefined {
  const { labelsPerClass, classes } = config.data;
  if (labelsPerClass === undefined) return undefined;
  const examples = labelsPerClass * (classes?.length ?? DATASET_CLASSES);
  const { batchSize } = config.train;
  return examples < batchSize
    ? `data.labelsPerClass ${labelsPerClass} leaves ${examples} training examples, fewer than train.batchSize ${batchSize}`
    : undefined;
}

/**
 * Turns a parsed experiment file into its runs: the full grid of `sweep` (and `seeds`, innermost),
 * less the runs matching an `exclude` pattern, plus the `include` runs, in that order; with a
 * `pretrain` section, the pretrained source runs come first.
 * `defaultName` names the experiment when the file does not (its file name).
 */
/** The grid's axes: each sweep path's values, and the seeds. */
function readAxes(raw: Record<string, unknown>, problems: Problem[]): Setting[][] {
  const sweepEntries: [string, unknown][] = isPlainObject(raw.sweep) ? Object.entries(raw.sweep) : [];
  const sweep = assignmentProblems(sweepEntries, ['sweep'], true);
  problems.push(...sweep.problems);
  const axes = sweep.valid;
  if (Array.isArray(raw.seeds)) {
    if (sweepEntries.some(([path]) => path === 'seed')) {
      problems.push({ path: 'seeds', message: 'give seeds either here or as sweep.seed, not both' });
    }
    const seeds: Setting[] = raw.seeds.map((value: unknown, i) => ({
      path: 'seed',
      value,
      source: ['seeds', i],
    }));
    axes.push(seeds.filter((s) => checkValueAtPath('seed', s.value) === undefined));
  }
  return axes;
}

/** The runs `include` adds, each as its settings (entries with a problem are left out). */
function readIncludes(raw: Record<string, unknown>, problems: Problem[]): Setting[][] {
  const includes: Setting[][] = [];
  (Array.isArray(raw.include) ? raw.include : []).forEach((entry, i) => {
    if (!isPlainObject(entry)) return; // the schema has reported it
    const checked = assignmentProblems(Object.entries(entry), ['include', i], false);
    problems.push(...checked.problems);
    if (checked.problems.length === 0) includes.push(checked.valid.flat());
  });
  return includes;
}

/** The patterns `exclude` removes grid runs by; a path that is not a config path is a problem. */
function readExcludes(raw: Record<string, unknown>, problems: Problem[]): Record<string, unknown>[] {
  const excludes: Record<string, unknown>[] = [];
  (Array.isArray(raw.exclude) ? raw.exclude : []).forEach((entry, i) => {
    if (!isPlainObject(entry)) return;
    for (const path of Object.keys(entry)) {
      if (!configPathExists(path)) {
        problems.push({
          path: formatJsonPath(['exclude', i, path]),
          message: `"${path}" is not a run config path`,
        });
      }
    }
    excludes.push(entry);
  });
  return excludes;
}

/**
 * Facets keep ids distinct: every swept path that takes several values, and what include runs set,
 * shown only where it differs from the base (a grid run keeps its plain id).
 */
function facetPathsOf(axes: Setting[][], includes: Setting[][], base: RunConfig | undefined): FacetPath[] {
  const sweptAxes = axes.filter((settings) => new Set(settings.map((s) => JSON.stringify(s.value))).size > 1);
  const swept = sweptAxes.map((s) => s[0].path);
  const facetPaths: FacetPath[] = sweptAxes.flatMap((settings) =>
    axisFacets(
      settings[0].path,
      settings.map((s) => s.value),
    ),
  );
  for (const path of new Set(includes.flatMap((settings) => settings.map((s) => s.path)))) {
    if (!swept.includes(path)) facetPaths.push({ path, unlessEqual: { value: getAtPath(base, path) } });
  }
  return facetPaths;
}

/** The runs of a plan as they are added (grid, then includes), each checked, with its settings kept. */
class RunCollector {
  readonly runs: PlannedRun[] = [];
  readonly seen = new Map<string, RunConfig>();
  private readonly settingsOf = new Map<string, Setting[]>();
  private readonly modelProblems = new Map<string, Problem>();

  constructor(
    private readonly baseRaw: RawConfig,
    private readonly facetPaths: FacetPath[],
    private readonly excludes: Record<string, unknown>[],
    private readonly checkModel: ModelChecker,
    private readonly problems: Problem[],
  ) {}

  add(settings: Setting[], fromInclude: boolean): void {
    let config: RawConfig = this.baseRaw;
    for (const s of settings) config = setAtPath(config, s.path, s.value);
    const parsed = RunConfig.safeParse(config);
    if (!parsed.success) {
      // Each value fits its own path (checked before), so only a combination can fail here.
      const where = settings.map((s) => formatJsonPath(s.source)).join(' + ') || 'base';
      this.problems.push({ path: where, message: parsed.error.issues.map((i) => i.message).join('; ') });
      return;
    }
    if (!fromInclude && this.excludes.some((pattern) => matchesPattern(parsed.data, pattern))) return;
    const budget = budgetProblem(parsed.data);
    if (budget) {
      const setting = settings.find((s) => s.path === 'data.labelsPerClass' || s.path === 'train.batchSize');
      const path = formatJsonPath(setting ? setting.source : ['base', 'data', 'labelsPerClass']);
      this.modelProblems.set(`${path}\n${budget}`, { path, message: budget });
    }
    for (const problem of this.checkModel(parsed.data)) {
      // The setting that supplied the field (or the whole object it sits in), else the base.
      const setting = settings.find((s) => problem.path === s.path || problem.path.startsWith(`${s.path}.`));
      const path = formatJsonPath(setting ? setting.source : ['base', ...problem.path.split('.')]);
      this.modelProblems.set(`${path}\n${problem.message}`, { path, message: problem.message });
    }
    const id = runId(parsed.data, this.facetPaths);
    const earlier = this.seen.get(id);
    if (earlier) {
      // An include that repeats a grid run adds nothing; one that differs under the same id is a clash.
      if (!isDeepStrictEqual(earlier, parsed.data)) {
        this.problems.push({
          path: formatJsonPath(settings.at(-1)?.source ?? ['base']),
          message: `gives run id ${id} twice with different configs`,
        });
      }
      return;
    }
    this.seen.set(id, parsed.data);
    this.settingsOf.set(id, settings);
    this.runs.push({ id, config: parsed.data });
  }

  /** Model and label-budget problems, each once however many runs share it. */
  get collectedModelProblems(): Problem[] {
    return [...this.modelProblems.values()];
  }

  /** Where a run's transfer source was set: the sweep or include value, else the base. */
  transferSource = (id: string): string => {
    const setting = this.settingsOf.get(id)?.find((s) => s.path === 'transfer.from' || s.path === 'transfer');
    return formatJsonPath(setting ? setting.source : ['base', 'transfer', 'from']);
  };
}

/** A run that transfers from nothing (no transfer.from and no pretrain section): the first one. */
function missingSourceProblem(runs: PlannedRun[], transferSource: (id: string) => string): Problem | null {
  const run = runs.find(
    ({ config: { transfer } }) => transfer && transfer.from === undefined && transfer.mode !== 'scratch',
  );
  return run
    ? {
        path: transferSource(run.id),
        message: `run ${run.id} has transfer but no transfer.from: name a source run, or add a top-level "pretrain" section`,
      }
    : null;
}

export function planExperiment(raw: unknown, defaultName: string, checkModel: ModelChecker): PlanResult {
  const problems = schemaProblems(raw);
  if (!isPlainObject(raw)) return { problems };

  const baseRaw = repairedBase(isPlainObject(raw.base) ? raw.base : {});
  const axes = readAxes(raw, problems);
  const includes = readIncludes(raw, problems);
  const excludes = readExcludes(raw, problems);
  const baseParsed = RunConfig.safeParse(baseRaw);
  const facetPaths = facetPathsOf(axes, includes, baseParsed.data);
  const pretrain = isPlainObject(raw.pretrain)
    ? assignmentProblems(Object.entries(raw.pretrain), ['pretrain'], false)
    : undefined;
  if (pretrain) problems.push(...pretrain.problems);

  if (baseParsed.success) {
    const collector = new RunCollector(baseRaw, facetPaths, excludes, checkModel, problems);
    for (const settings of cartesian(axes)) collector.add(settings, false);
    // An include run that names no seed is repeated for every seed of the sweep, like grid runs.
    const seedAxis = axes.find((settings) => settings[0]?.path === 'seed');
    for (const settings of includes) {
      if (seedAxis && !settings.some((s) => s.path === 'seed')) {
        for (const seed of seedAxis) collector.add([...settings, seed], true);
      } else collector.add(settings, true);
    }
    problems.push(...collector.collectedModelProblems);
    let runs = collector.runs;
    if (runs.length === 0 && problems.length === 0) {
      problems.push({ path: 'exclude', message: 'every run of the sweep is excluded; nothing to run' });
    }
    if (pretrain && pretrain.problems.length === 0) {
      const overrides = pretrain.valid.flat().map((s) => [s.path, s.value] as const);
      const planned = withPretrainRuns(runs, collector.seen, baseRaw, overrides, facetPaths);
      runs = planned.runs;
      problems.push(...planned.problems);
    }
    const missing = pretrain ? null : missingSourceProblem(runs, collector.transferSource);
    if (missing) problems.push(missing);
    problems.push(...dependencyProblems(runs, collector.transferSource));
    return problems.length ? { problems } : { problems, plan: planOf(raw, defaultName, runs) };
  }
  return problems.length ? { problems } : { problems, plan: planOf(raw, defaultName, []) };
}

function planOf(raw: unknown, defaultName: string, runs: PlannedRun[]): ExperimentPlan {
  const file = ExperimentFile.parse(raw);
  return {
    name: file.name ?? defaultName,
    description: file.description ?? '',
    plugins: file.plugins,
    analyses: file.analyses,
    runs,
  };
}
