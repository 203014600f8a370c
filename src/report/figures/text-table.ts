// A table drawn as Vega-Lite text columns, so it exports (PNG, spec) like every other figure and
// stays readable with scripts off (the page's static SVG).
import { CONFIG, SCHEMA, title, type TopLevelSpec } from './figure.js';

export interface TextColumn {
  field: string;
  title: string;
  /** Pixels; by default wide enough for the column's longest cell and its title, so nothing is cut. */
  width?: number;
  /** Vega expression on `datum` that paints the cell red (a failed run). */
  alarm?: string;
}

/**
 * Pixels a character takes as vega measures text without a canvas (0.8 x font size: 11 px cells,
 * 12 px titles), which is how the page's static SVG is cut; the PNGs' real fonts are narrower.
 */
const CELL_CHAR_PX = 0.8 * 11;
const TITLE_CHAR_PX = 0.8 * 12;
const MAX_COLUMN_PX = 520;

function fitted(col: TextColumn, rows: readonly Record<string, string>[]): TextColumn & { width: number } {
  if (col.width !== undefined) return { ...col, width: col.width };
  const longest = Math.max(0, ...rows.map((r) => String(r[col.field] ?? '').length));
  const width = Math.max(longest * CELL_CHAR_PX, col.title.length * TITLE_CHAR_PX) + 10;
  return { ...col, width: Math.min(MAX_COLUMN_PX, Math.ceil(width)) };
}

export function textTable(
  heading: string,
  subtitle: string[],
  columns: readonly TextColumn[],
  rows: readonly Record<string, string>[],
  tooltipKey: string,
): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: title(heading, subtitle),
    data: { values: rows.map((row, i) => ({ ...row, row: i })) },
    hconcat: columns
      .map((col) => fitted(col, rows))
      .map((col) => ({
        width: col.width,
        height: { step: 18 },
        title: { text: col.title, anchor: 'start', fontSize: 12 },
        mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11, limit: col.width - 4 },
        encoding: {
          y: { field: 'row', type: 'ordinal', axis: null },
          x: { value: 0 },
          text: { field: col.field, type: 'nominal' },
          ...(col.alarm
            ? { color: { condition: { test: col.alarm, value: '#d62728' }, value: '#222' } }
            : {}),
          tooltip: [{ field: tooltipKey }, { field: col.field, title: col.title }],
        },
      })),
    spacing: 4,
    config: { ...CONFIG, view: { stroke: null } },
  } as TopLevelSpec;
}
