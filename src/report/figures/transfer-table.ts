// Transfer: the numbers behind the label-budget figure, one row per backbone x
// adaptation mode and one column per label budget: mean target test error and its seed range.
import { formatPct, groupBy, spread } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { hasTransferRuns, transferRuns, type TransferRun } from '../transfer-runs.js';
import { emptyFigure, type Figure, type TopLevelSpec } from './figure.js';
import { textTable, type TextColumn } from './text-table.js';

const budgetText = (labels: number | null) => (labels === null ? 'all labels' : `${labels}/class`);

/** "12.3% (10.1–14.0)": mean and min–max over seeds; "n=2" where a cell has fewer seeds than most. */
function cell(runs: readonly TransferRun[], seeds: number): string {
  const s = spread(runs.map((t) => t.testError));
  if (s.n === 0) return 'n/a';
  const range = s.n > 1 ? ` (${(s.min * 100).toFixed(1)}–${(s.max * 100).toFixed(1)})` : '';
  return `${formatPct(s.mean)}${range}${s.n < seeds ? ` n=${s.n}` : ''}`;
}

export function transferTableRows(data: ReportData): {
  budgets: (number | null)[];
  seeds: number;
  rows: Record<string, string>[];
} {
  const runs = transferRuns(data).filter((t) => Number.isFinite(t.testError));
  const budgets = [...new Set(runs.map((t) => t.labels))].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  const cells = groupBy(runs, (t) => `${t.backbone}\u0000${t.mode}\u0000${t.labels}`);
  const seeds = Math.max(0, ...[...cells.values()].map((c) => c.length));
  const rows = [...groupBy(runs, (t) => `${t.backbone}\u0000${t.mode}`).values()]
    .sort((a, b) => a[0].backbone.localeCompare(b[0].backbone) || a[0].mode.localeCompare(b[0].mode))
    .map((group) => {
      const row: Record<string, string> = { backbone: group[0].backbone, mode: group[0].mode };
      for (const b of budgets)
        row[budgetText(b)] = cell(
          group.filter((t) => t.labels === b),
          seeds,
        );
      return row;
    });
  return { budgets, seeds, rows };
}

export function transferTable(data: ReportData): TopLevelSpec {
  const heading = 'Transfer: target test error by backbone, adaptation and label budget';
  const { budgets, seeds, rows } = transferTableRows(data);
  if (rows.length === 0) return emptyFigure(heading, 'No finished transfer run.');
  const columns: TextColumn[] = [
    { field: 'backbone', title: 'backbone', width: 110 },
    { field: 'mode', title: 'adaptation', width: 140 },
    ...budgets.map((b) => ({ field: budgetText(b), title: budgetText(b), width: 170 })),
  ];
  const subtitle = `mean target test error (min–max over ${seeds} seed${seeds === 1 ? '' : 's'}; n=k where fewer finished)`;
  return textTable(heading, [subtitle], columns, rows, 'backbone');
}

export const figure: Figure = {
  id: 'transfer-table',
  title: 'Transfer: error table',
  build: transferTable,
  applies: hasTransferRuns,
};
