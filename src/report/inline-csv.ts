// A chart's inline rows as CSV text for the page: JSON rows repeat every key in every row, which is
// most of a long dataset's bytes. Vega-Lite reads the text back with an explicit parse for each
// numeric and boolean column, so the chart sees the same values; strings are never type-guessed.
// Rows that CSV cannot carry exactly (missing keys, nulls, nested values, a column of mixed types,
// field names Vega-Lite would read as paths) stay JSON.

type Cell = string | number | boolean;
type ColumnType = 'string' | 'number' | 'boolean';

/** The same spec with every inline `data.values` that CSV carries exactly written as CSV. */
export function inlineDataAsCsv<T>(spec: T): T {
  return rewrite(spec) as T;
}

function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === 'data' ? (asCsvData(value) ?? rewrite(value)) : rewrite(value);
  }
  return out;
}

function asCsvData(data: unknown): Record<string, unknown> | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const { values, format, ...rest } = data as Record<string, unknown>;
  if (format !== undefined || !Array.isArray(values) || values.length < 2) return undefined;
  const columns = columnTypes(values);
  if (columns === undefined) return undefined;
  const names = [...columns.keys()];
  const lines = [names, ...values.map((row: Record<string, Cell>) => names.map((n) => row[n]))];
  const parse = Object.fromEntries([...columns].filter(([, type]) => type !== 'string'));
  return {
    ...rest,
    values: lines.map((cells) => cells.map(csvField).join(',')).join('\n'),
    format: { type: 'csv', parse },
  };
}

/** Each column's one type, or undefined when the rows are not a flat table of scalars. */
function columnTypes(rows: unknown[]): Map<string, ColumnType> | undefined {
  const types = new Map<string, ColumnType>();
  for (const [i, row] of rows.entries()) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return undefined;
    const entries = Object.entries(row);
    if (i > 0 && entries.length !== types.size) return undefined;
    for (const [name, value] of entries) {
      const type = typeof value;
      if (type !== 'string' && type !== 'number' && type !== 'boolean') return undefined;
      if (i === 0) {
        if (/[.[\]\\]/.test(name)) return undefined;
        types.set(name, type);
      } else if (types.get(name) !== type) return undefined;
    }
  }
  return types;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(cell: Cell): string {
  const text = String(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
