// The shape both per-layer transfer figures share: one panel per adaptation mode, a line per
// backbone over depth index, with the y field and tooltip extras each figure brings.
import { CONFIG, SCHEMA, title, type TopLevelSpec } from './figure.js';

export function layerLinesByMode(opts: {
  heading: string;
  subtitle: string[];
  values: Record<string, unknown>[];
  y: Record<string, unknown> & { field: string; title: string };
  /** The y value's tooltip format and the fields after it. */
  tooltip: { format: string; extra: Record<string, unknown>[] };
}): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: title(opts.heading, opts.subtitle),
    data: { values: opts.values },
    facet: { column: { field: 'mode', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 200,
      mark: { type: 'line', point: { size: 14 } },
      encoding: {
        x: { field: 'index', type: 'quantitative', title: 'depth index (from input)' },
        y: { type: 'quantitative', ...opts.y },
        color: { field: 'backbone', type: 'nominal', title: 'backbone' },
        tooltip: [
          { field: 'backbone' },
          { field: 'mode', title: 'adaptation' },
          { field: 'layer' },
          { field: opts.y.field, title: opts.y.title, format: opts.tooltip.format },
          ...opts.tooltip.extra,
        ],
      },
    },
    config: CONFIG,
  } as TopLevelSpec;
}
