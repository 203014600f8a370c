// A table drawn as Vega-Lite text columns, so it exports (PNG, spec) like every other figure and
// stays readable with scripts off (the page's static SVG).
import { CONFIG, SCHEMA, title, type TopLevelSpec } from './figure.js';

export interface TextColumn {
  field: string;
  title: string;
  width: number;
  /** Vega expression on `datum` that paints the cell red (a failed run). */
  alarm?: string;
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
    hconcat: columns.map((col) => ({
      width: col.width,
      height: { step: 18 },
      title: { text: col.title, anchor: 'start', fontSize: 12 },
      mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11, limit: col.width - 4 },
      encoding: {
        y: { field: 'row', type: 'ordinal', axis: null },
        x: { value: 0 },
        text: { field: col.field, type: 'nominal' },
        ...(col.alarm ? { color: { condition: { test: col.alarm, value: '#d62728' }, value: '#222' } } : {}),
        tooltip: [{ field: tooltipKey }, { field: col.field, title: col.title }],
      },
    })),
    spacing: 4,
    config: { ...CONFIG, view: { stroke: null } },
  } as TopLevelSpec;
}
