// Per-layer lines in panels: a line per net (or backbone) over the depth index, one panel per value
// of a facet field. The transfer figures panel by adaptation mode; the other-statistics figure by stat.
import { figureSpec, type TopLevelSpec } from './figure.js';

export function layerLines(opts: {
  heading: string;
  subtitle: string[];
  values: Record<string, unknown>[];
  panels: { row: string } | { column: string };
  size: { width: number; height: number };
  xTitle: string;
  y: Record<string, unknown> & { field: string; title: string };
  colour: { field: string; title: string; sort?: string[] };
  tooltip: Record<string, unknown>[];
  resolveY?: 'shared' | 'independent';
}): TopLevelSpec {
  const [direction, field] = 'row' in opts.panels ? ['row', opts.panels.row] : ['column', opts.panels.column];
  return figureSpec(opts.heading, opts.subtitle, {
    data: { values: opts.values },
    facet: { [direction]: { field, type: 'nominal', title: null } },
    spec: {
      ...opts.size,
      mark: { type: 'line', point: { size: 14 } },
      encoding: {
        x: { field: 'index', type: 'quantitative', title: opts.xTitle },
        y: { type: 'quantitative', ...opts.y },
        color: { type: 'nominal', ...opts.colour },
        tooltip: opts.tooltip,
      },
    },
    ...(opts.resolveY ? { resolve: { scale: { y: opts.resolveY } } } : {}),
  });
}

/** One panel per adaptation mode, a line per backbone (the transfer figures). */
export function layerLinesByMode(opts: {
  heading: string;
  subtitle: string[];
  values: Record<string, unknown>[];
  y: Record<string, unknown> & { field: string; title: string };
  /** The y value's tooltip format and the fields after it. */
  tooltip: { format: string; extra: Record<string, unknown>[] };
}): TopLevelSpec {
  return layerLines({
    ...opts,
    panels: { column: 'mode' },
    size: { width: 260, height: 200 },
    xTitle: 'depth index (from input)',
    colour: { field: 'backbone', title: 'backbone' },
    tooltip: [
      { field: 'backbone' },
      { field: 'mode', title: 'adaptation' },
      { field: 'layer' },
      { field: opts.y.field, title: opts.y.title, format: opts.tooltip.format },
      ...opts.tooltip.extra,
    ],
  });
}
