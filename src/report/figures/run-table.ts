// One row per run: what it was, whether it finished (diverged runs with their step), its final
// errors, cost and backend. Drawn as Vega-Lite text columns so it exports like every other figure.
import { finalErrors, formatPct, orderRuns, settingLabeller } from '../aggregate.js';
import type { BackendInfo } from '../../store/types.js';
import { paddingOf } from '../load.js';
import type { ReportData, RunInfo } from '../rows.js';
import { emptyFigure, type Figure, type TopLevelSpec } from './figure.js';
import { textTable, type TextColumn } from './text-table.js';

export interface RunTableRow {
  run: string;
  experiment: string;
  block: string;
  depth: string;
  setting: string;
  params: string;
  status: string;
  train: string;
  test: string;
  wall: string;
  backend: string;
  padding: string;
  [key: string]: string;
}

export const RUN_TABLE_COLUMNS: (TextColumn & { field: Extract<keyof RunTableRow, string> })[] = [
  { field: 'run', title: 'run' },
  { field: 'experiment', title: 'experiment' },
  { field: 'block', title: 'block' },
  { field: 'depth', title: 'depth', width: 45 },
  { field: 'setting', title: 'setting' },
  { field: 'params', title: 'params', width: 80 },
  { field: 'status', title: 'status' },
  { field: 'train', title: 'final train err', width: 100 },
  { field: 'test', title: 'final test err', width: 100 },
  { field: 'wall', title: 'wall time', width: 80 },
  { field: 'backend', title: 'backend' },
  { field: 'padding', title: 'padding' },
];

export function statusText(run: RunInfo): string {
  const m = run.manifest;
  if (m.status === 'diverged' || m.status === 'failed')
    return `${m.status} at step ${m.statusStep ?? m.steps}`;
  if (m.status === 'running') return `running (${m.steps}/${m.totalSteps})`;
  if (m.status === 'interrupted')
    return `interrupted at ${m.statusStep ?? m.steps}/${m.totalSteps}, resumable`;
  return m.status;
}

function formatWall(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return 'n/a';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function runTableRows(data: ReportData): RunTableRow[] {
  const finals = finalErrors(data.runs, data.metrics);
  const setting = settingLabeller(data.runs);
  return orderRuns(data.runs).map((run) => {
    const m = run.manifest;
    const final = finals.get(run.run)!;
    return {
      run: run.run,
      experiment: m.trainedAs ? `${run.experiment} (trained as ${m.trainedAs})` : run.experiment,
      block: run.block,
      depth: String(run.depth),
      setting: setting(run) || '–',
      params: m.params ? m.params.trainable.toLocaleString('en-US') : 'n/a',
      status: statusText(run),
      train: formatPct(final.train),
      test: formatPct(final.test),
      wall: formatWall(m.wallSeconds),
      backend: m.backend ? backendLabel(m.backend) : 'n/a',
      padding: paddingOf(m),
    };
  });
}

/** A GPU backend is named with its adapter; a CPU backend with its thread count. */
function backendLabel(b: BackendInfo): string {
  return b.device ? `${b.name} ${b.version} on ${b.device}` : `${b.name} ${b.version} x${b.threads}`;
}

export function runTable(data: ReportData): TopLevelSpec {
  const heading = 'Runs';
  if (data.runs.length === 0) return emptyFigure(heading, 'No runs.');
  const columns = RUN_TABLE_COLUMNS.map((col) =>
    col.field === 'status' ? { ...col, alarm: 'test(/^(diverged|failed)/, datum.status)' } : col,
  );
  return textTable(
    heading,
    ["final errors: the manifest's final evaluation, else the last logged value"],
    columns,
    runTableRows(data),
    'run',
  );
}

export const figure: Figure = { id: 'run-table', title: 'Run table', reads: ['metrics'], build: runTable };
