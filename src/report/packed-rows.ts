// A chart's inline rows packed for the page: JSON rows repeat every key in every row, which is
// most of a long dataset's bytes, so the page writes the keys once and each row as an array. The
// page's boot script unpacks them while parsing (ROWS_REVIVER), before any chart sees them; the
// values are JSON either way, so they come back exactly as JSON rows would.

/** The key that marks packed rows; no Vega-Lite property is named like this. */
const COLUMNS = 'gradflow:columns';

/** The same spec (a copy) with every `values` array of 2+ rows sharing one key set packed. */
export function packRows<T>(spec: T): T {
  return pack(spec) as T;
}

function pack(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(pack);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const columns = key === 'values' && Array.isArray(value) ? sharedKeys(value) : undefined;
    out[key] =
      columns === undefined
        ? pack(value)
        : {
            [COLUMNS]: columns,
            rows: (value as Record<string, unknown>[]).map((row) => columns.map((c) => row[c])),
          };
  }
  return out;
}

/** The rows' one key set in the first row's order, or undefined unless 2+ plain objects share it. */
function sharedKeys(rows: unknown[]): string[] | undefined {
  const isRecord = (r: unknown): r is Record<string, unknown> =>
    r !== null && typeof r === 'object' && !Array.isArray(r);
  if (rows.length < 2 || !rows.every(isRecord)) return undefined;
  const keys = Object.keys(rows[0]);
  const same = rows.every((r) => {
    const own = Object.keys(r);
    return own.length === keys.length && keys.every((k) => Object.hasOwn(r, k) && r[k] !== undefined);
  });
  return same && keys.length > 0 ? keys : undefined;
}

/** The page's JSON.parse reviver (browser JavaScript) that turns packed rows back into objects. */
export const ROWS_REVIVER = `function (key, value) {
  var columns = value && value['${COLUMNS}'];
  if (!columns) return value;
  return value.rows.map(function (row) {
    var object = {};
    for (var i = 0; i < columns.length; i++) object[columns[i]] = row[i];
    return object;
  });
}`;
