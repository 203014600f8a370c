// Per-layer lines coloured by net depth, a point at each layer (the gradient-norm profile, the
// layer responses): clicking a depth in the legend picks its lines and fades the others.
import { DEPTH_COLOUR, legendPick } from './figure.js';

/** A panel's spec: its size, the line mark, the legend pick named `pick`, and the encoding. */
export function depthLines(opts: {
  pick: string;
  size: { width: number; height: number };
  pointSize: number;
  x: Record<string, unknown>;
  y: Record<string, unknown>;
  /** Lines of one depth apart: a line style (optional), and the field that makes one line. */
  strokeDash?: Record<string, unknown>;
  detail: string;
  tooltip: Record<string, unknown>[];
}) {
  return {
    ...opts.size,
    mark: { type: 'line', point: { size: opts.pointSize }, strokeWidth: 1.5 },
    params: legendPick(opts.pick, 'depth'),
    encoding: {
      x: { type: 'quantitative', ...opts.x },
      y: opts.y,
      color: DEPTH_COLOUR,
      ...(opts.strokeDash ? { strokeDash: opts.strokeDash } : {}),
      detail: { field: opts.detail, type: 'nominal' },
      opacity: { condition: { param: opts.pick, value: 1 }, value: 0.12 },
      tooltip: opts.tooltip,
    },
  };
}
