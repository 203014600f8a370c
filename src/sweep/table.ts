// The summary as a text table for the terminal (gradflow summarize, gradflow demo).
import type { ByConfigRow } from './summary.js';

const pct = (x: string | number): string => (x === '' ? '-' : `${(100 * Number(x)).toFixed(1)}`);

export function formatSummaryTable(rows: ByConfigRow[]): string {
  const header = ['config', 'residual', 'depth', 'n', 'train err %', '±sd', 'test err %', '±sd'];
  const body = rows.map((r) => [
    String(r.config),
    String(r.residual),
    String(r.depth),
    `${r.n}/${r.runs}`,
    pct(r.train_error_mean),
    pct(r.train_error_sd),
    pct(r.test_error_mean),
    pct(r.test_error_sd),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
