// What every figure shares: the spec type, the frame of its spec (schema, title, a common look), and
// the stand-in shown when a report's data cannot feed a figure (so the page says why instead of
// showing empty axes).
import type { TopLevelSpec } from 'vega-lite';
import type { RowSource } from '../load.js';
import type { ReportData } from '../rows.js';

export type { TopLevelSpec };

export interface Figure {
  id: string;
  title: string;
  build: (data: ReportData) => TopLevelSpec;
  /**
   * The rows its build reads besides the runs (their manifests): a live view rebuilds it only when
   * one of these changed. Absent: any of them (rebuilt on every change).
   */
  reads?: readonly RowSource[];
  /** Whether the report shows this figure at all (e.g. transfer figures need transfer runs). Default: always. */
  applies?: (data: ReportData) => boolean;
}

/** The figure of an analysis' rows (lesion, landscape, shatter): shown only where some run has them. */
export function analysisFigure(
  id: string,
  title: string,
  rows: 'lesions' | 'landscapes' | 'shatter',
  build: (data: ReportData) => TopLevelSpec,
): Figure {
  return { id, title, build, reads: [rows], applies: (d) => d[rows].length > 0 };
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const CONFIG = {
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555' },
} as const;

export function title(text: string, subtitle: string[]): { text: string; subtitle: string[] } {
  return { text, subtitle: subtitle.filter((line) => line.length > 0) };
}

/** A whole figure: the schema, its heading over the subtitle lines, `body`, the common look. */
export function figureSpec(heading: string, subtitle: string[], body: Record<string, unknown>): TopLevelSpec {
  return { $schema: SCHEMA, title: title(heading, subtitle), ...body, config: CONFIG } as TopLevelSpec;
}

/** A figure with no data of its kind: a text mark saying what was missing. */
export function emptyFigure(heading: string, message: string): TopLevelSpec {
  return figureSpec(heading, [message], {
    data: { values: [{ message }] },
    mark: { type: 'text', align: 'left', fontSize: 12, color: '#888' },
    encoding: { text: { field: 'message', type: 'nominal' }, x: { value: 0 }, y: { value: 10 } },
    width: 400,
    height: 20,
  });
}

/** A quantitative y axis on a log scale, labelled in powers of ten (gradient norms, update ratios). */
export function logY(field: string, axisTitle: string) {
  return {
    field,
    type: 'quantitative',
    title: axisTitle,
    scale: { type: 'log' },
    axis: { format: '.0e' },
  } as const;
}

/** Net depth as colour: one hue per depth, in depth order, the same in every figure. */
export const DEPTH_COLOUR = {
  field: 'depth',
  type: 'ordinal',
  title: 'depth',
  scale: { scheme: 'viridis' },
} as const;

/** Runs (or panels of runs) as a nominal field in the report's run order, from each value's `order`. */
export function inRunOrder(field: string) {
  return { field, type: 'nominal', title: null, sort: { field: 'order', op: 'min' } } as const;
}

/**
 * `values` with a sortable key per ordered facet field, for `rankedFacet`. Vega-Lite lays a row x column
 * facet out as their cross product and sorts its cells by the facet fields; a sort by an array or by
 * another field leaves an empty cell (a net absent from one setting) unranked, first, so every later
 * cell of that row draws under the wrong header (vega-lite#8675). A key that sorts as text avoids it.
 */
export function withFacetRanks<T extends object>(
  values: readonly T[],
  orders: Record<string, readonly (string | number)[]>,
): T[] {
  const ranks = Object.entries(orders).map(
    ([field, order]) => [field, new Map(order.map((v, i) => [String(v), i]))] as const,
  );
  return values.map((v) => {
    const out = { ...v } as Record<string, unknown>;
    for (const [field, rank] of ranks) {
      const r = rank.get(String(out[field])) ?? rank.size;
      out[`${field}Facet`] = `${String(r).padStart(FACET_RANK_DIGITS, '0')} ${String(out[field])}`;
    }
    return out as unknown as T;
  });
}

const FACET_RANK_DIGITS = 4;

/** A nominal facet over `field` in the order `withFacetRanks` gave its values, headed by the value alone. */
export function rankedFacet(field: string) {
  return {
    field: `${field}Facet`,
    type: 'nominal',
    title: null,
    sort: 'ascending',
    header: { labelExpr: `slice(datum.value, ${FACET_RANK_DIGITS + 1})` },
  } as const;
}

/** A legend that selects: clicking an entry picks the lines of that `field` (the others fade). */
export function legendPick(name: string, field: string) {
  return [{ name, select: { type: 'point' as const, fields: [field] }, bind: 'legend' as const }];
}
