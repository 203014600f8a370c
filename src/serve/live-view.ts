// What the live page shows, computed from LiveResults: the sweeps' progress, a row per run (planned
// runs not yet begun included), the findings and the figures. Each refresh returns only what
// changed since the last: a figure is rebuilt only when the rows it reads changed, and sent only
// when its spec differs from the one the page has.
import { dirname, relative, resolve, sep } from 'node:path';
import { finalErrors, formatPct, orderRuns, settingLabeller } from '../report/aggregate.js';
import { emptyFigure, type Figure, type TopLevelSpec } from '../report/figures/figure.js';
import { figuresFor } from '../report/figures/index.js';
import { statusText } from '../report/figures/run-table.js';
import { computeFindings, type Finding } from '../report/findings/index.js';
import type { MetricPoint, ReportData, RunInfo } from '../report/rows.js';
import { formatDuration, sweepSecondsLeft } from '../ground/duration.js';
import { readSweepPlan, type SweepPlan } from '../store/sweep-plan.js';
import type { LiveResults, ResultsChange } from './live-results.js';

/** One run as the live table shows it. */
export interface LiveRun {
  run: string;
  experiment: string;
  /** running | completed | diverged | failed | interrupted | queued (planned, not begun) */
  status: string;
  /** The status in words, as the report's run table says it. */
  statusText: string;
  step: number;
  totalSteps: number;
  msPerStep: number | null;
  eta: string;
  train: string;
  test: string;
  /** The run's files the page links to, by name: URL paths under /files/. */
  files: Record<string, string>;
}

/** One experiment's sweep: its planned runs (plan.json), how many have ended, the time left. */
export interface LiveSweep {
  experiment: string;
  planned: number;
  ended: number;
  running: number;
  fraction: number;
  eta: string;
}

export interface LiveFinding extends Finding {
  /** Set when runs of its setting are still to finish: the finding may change. */
  provisional?: string;
}

export interface LiveState {
  version: number;
  updatedAt: string;
  title: string;
  sources: string[];
  sweeps: LiveSweep[];
  runs: LiveRun[];
  findings: LiveFinding[];
  notes: string[];
  /** The figures shown, in order. */
  figures: { id: string; title: string }[];
  /** Specs by figure id: every one in a full state, the changed ones in an update. */
  specs: Record<string, TopLevelSpec>;
}

export type LiveUpdate = Partial<LiveState> & Pick<LiveState, 'version' | 'updatedAt'>;

const ENDED = new Set(['completed', 'diverged', 'failed']);
/** The last step times a run's pace is taken from: the first steps (compilation) would overstate it. */
const PACE_WINDOW = 10;

export class LiveView {
  private state: LiveState;
  private sent = new Map<string, string>(); // figure id -> the spec's JSON last sent
  private figureRows = new Map<string, number>();

  constructor(
    private readonly results: LiveResults,
    title: string,
  ) {
    this.state = {
      version: 0,
      updatedAt: new Date().toISOString(),
      title,
      sources: [...results.dirs],
      sweeps: [],
      runs: [],
      findings: [],
      notes: [],
      figures: [],
      specs: {},
    };
  }

  /** Everything the page shows, for a page that has just connected. */
  full(): LiveState {
    return this.state;
  }

  /** Polls the results; what changed since the last refresh, or null when nothing did. */
  async refresh(): Promise<LiveUpdate | null> {
    const change = await this.results.poll();
    const data = this.results.data();
    const plans = await readPlans(this.results.dirs, data.runs);
    const update: Partial<LiveState> = {};
    const set = <K extends keyof LiveState>(key: K, value: LiveState[K]) => {
      if (JSON.stringify(value) === JSON.stringify(this.state[key])) return;
      update[key] = value;
      this.state[key] = value;
    };
    const runs = liveRuns(data, plans, this.results.dirs);
    set('runs', runs);
    set('sweeps', liveSweeps(runs, plans));
    set('notes', data.notes);
    if (change.runs || change.rows.size > 0 || this.state.version === 0) {
      set('findings', liveFindings(data));
      const shown = figuresFor(data);
      set(
        'figures',
        shown.map((f) => ({ id: f.id, title: f.title })),
      );
      const specs: Record<string, TopLevelSpec> = {};
      for (const figure of shown) {
        if (this.sent.has(figure.id) && !needsRebuild(figure, change)) continue;
        const spec = buildSafely(figure, data);
        const json = JSON.stringify(spec);
        if (this.sent.get(figure.id) === json) continue;
        this.sent.set(figure.id, json);
        specs[figure.id] = spec;
      }
      for (const id of [...this.sent.keys()]) if (!shown.some((f) => f.id === id)) this.sent.delete(id);
      this.state.specs = Object.fromEntries(
        shown.map((f) => [f.id, specs[f.id] ?? this.state.specs[f.id]]).filter(([, s]) => s),
      );
      if (Object.keys(specs).length > 0) update.specs = specs;
    }
    if (Object.keys(update).length === 0) return null;
    this.state.version += 1;
    this.state.updatedAt = new Date().toISOString();
    return { ...update, version: this.state.version, updatedAt: this.state.updatedAt };
  }
}

function needsRebuild(figure: Figure, change: ResultsChange): boolean {
  if (change.runs || figure.reads === undefined) return true;
  return figure.reads.some((source) => change.rows.has(source));
}

/** A figure whose build throws (a plugin's, on rows it did not expect) says so in its place. */
function buildSafely(figure: Figure, data: ReportData): TopLevelSpec {
  try {
    return figure.build(data);
  } catch (err) {
    return emptyFigure(figure.title, `could not be drawn: ${(err as Error).message}`);
  }
}

/** The plans of the experiments served: the directories given, and those the runs are in. */
async function readPlans(dirs: readonly string[], runs: readonly RunInfo[]): Promise<SweepPlan[]> {
  const candidates = new Set([...dirs.map((d) => resolve(d)), ...runs.map((r) => dirname(resolve(r.dir)))]);
  const plans: SweepPlan[] = [];
  for (const dir of candidates) {
    const plan = await readSweepPlan(dir);
    if (plan && !plans.some((p) => p.experiment === plan.experiment)) plans.push(plan);
  }
  return plans;
}

/** Each run's pace from its metrics: the last step logged and the mean of its last step times. */
function paces(metrics: readonly MetricPoint[]): Map<string, { step: number; stepMs: number[] }> {
  const out = new Map<string, { step: number; stepMs: number[] }>();
  for (const m of metrics) {
    let pace = out.get(m.run);
    if (!pace) out.set(m.run, (pace = { step: 0, stepMs: [] }));
    if (m.step > pace.step) pace.step = m.step;
    if (m.metric === 'step_ms' && Number.isFinite(m.value)) pace.stepMs.push(m.value);
  }
  return out;
}

function liveRuns(data: ReportData, plans: readonly SweepPlan[], dirs: readonly string[]): LiveRun[] {
  const finals = finalErrors(data.runs, data.metrics);
  const pace = paces(data.metrics);
  const rows: LiveRun[] = orderRuns(data.runs).map((run) => {
    const m = run.manifest;
    const p = pace.get(run.run);
    const recent = p?.stepMs.slice(-PACE_WINDOW) ?? [];
    const msPerStep = recent.length > 0 ? recent.reduce((a, b) => a + b, 0) / recent.length : null;
    const ended = ENDED.has(m.status);
    const step = ended ? (m.statusStep ?? m.steps) : Math.max(m.steps, p?.step ?? 0);
    const running = m.status === 'running';
    const final = finals.get(run.run)!;
    return {
      run: run.run,
      experiment: run.experiment,
      status: m.status,
      statusText: running ? `running (${step}/${m.totalSteps})` : statusText(run),
      step,
      totalSteps: m.totalSteps,
      msPerStep: msPerStep === null ? null : Math.round(msPerStep),
      eta: running && msPerStep !== null ? formatDuration(((m.totalSteps - step) * msPerStep) / 1000) : '',
      train: formatPct(final.train),
      test: formatPct(final.test),
      files: runFiles(run, dirs),
    };
  });
  for (const plan of plans) {
    const begun = new Set(data.runs.filter((r) => r.experiment === plan.experiment).map((r) => r.run));
    for (const id of plan.runs.filter((id) => !begun.has(id) && !begun.has(`${plan.experiment}/${id}`))) {
      rows.push({
        ...{ run: id, experiment: plan.experiment, status: 'queued', statusText: 'queued' },
        ...{ step: 0, totalSteps: 0, msPerStep: null, eta: '', train: 'n/a', test: 'n/a', files: {} },
      });
    }
  }
  return rows;
}

/** The URL paths of a run's manifest and CSVs, under the served directory that holds it. */
function runFiles(run: RunInfo, dirs: readonly string[]): Record<string, string> {
  const at = resolve(run.dir);
  const k = dirs.findIndex((d) => at === resolve(d) || at.startsWith(resolve(d) + sep));
  if (k < 0) return {};
  const path = relative(resolve(dirs[k]), at).split(sep).filter(Boolean).map(encodeURIComponent);
  const href = (file: string) => `/files/${k}/${[...path, file].join('/')}`;
  return { manifest: href('manifest.json'), metrics: href('metrics.csv'), layers: href('layers.csv') };
}

function liveSweeps(runs: readonly LiveRun[], plans: readonly SweepPlan[]): LiveSweep[] {
  const experiments = [...new Set(runs.map((r) => r.experiment))];
  return experiments.map((experiment) => {
    const own = runs.filter((r) => r.experiment === experiment);
    const plan = plans.find((p) => p.experiment === experiment);
    const planned = Math.max(plan?.runs.length ?? 0, own.length);
    const ended = own.filter((r) => ENDED.has(r.status)).length;
    const running = own.filter((r) => r.status === 'running');
    const paced = running.map((r) => ({
      step: r.step,
      totalSteps: r.totalSteps,
      msPerStep: r.msPerStep ?? undefined,
    }));
    const left = sweepSecondsLeft(paced, planned - ended - running.length);
    const fraction =
      planned > 0
        ? (ended + running.reduce((s, r) => s + (r.totalSteps > 0 ? r.step / r.totalSteps : 0), 0)) / planned
        : 0;
    return {
      experiment,
      planned,
      ended,
      running: running.length,
      fraction,
      eta: ended === planned ? 'done' : running.length > 0 ? formatDuration(left) : 'no run is training',
    };
  });
}

/** The report's findings; one over a setting whose runs are not all finished says so. */
function liveFindings(data: ReportData): LiveFinding[] {
  const setting = settingLabeller(data.runs);
  const unfinished = data.runs.filter((r) => !ENDED.has(r.manifest.status));
  return computeFindings(data).map((finding) => {
    const open = unfinished.filter((r) => {
      const s = setting(r);
      return s === '' || finding.setting === s || finding.setting.startsWith(`${s} · `);
    });
    if (open.length === 0) return finding;
    const names =
      open
        .slice(0, 3)
        .map((r) => r.run)
        .join(', ') + (open.length > 3 ? ', ...' : '');
    return {
      ...finding,
      provisional: `provisional: ${open.length} run(s) of this setting still to finish (${names}); their last logged values stand in for final ones`,
    };
  });
}
