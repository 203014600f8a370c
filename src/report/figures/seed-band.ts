// A measure's spread over seeds, as the figures draw it: a line through the seed means inside a band
// from the lowest to the highest seed, plain and residual told apart by line style (the analysis
// figures: lesion, loss landscape, shattered gradients); an error's range shaded behind its mean
// lines (training curves, transfer label budget); and the tooltip rows that give the spread.

/** Plain and residual nets apart: the line style of every seed band (and a colour where nets are pooled). */
export const ARCHITECTURE = {
  field: 'arch',
  type: 'nominal',
  title: 'architecture',
  sort: 'ascending', // plain before residual; blocks, where several are compared, by name
} as const;

/** Line style by architecture, its legend drawn as strokes (the default draws every entry as one dot). */
export const ARCHITECTURE_DASH = {
  ...ARCHITECTURE,
  legend: { symbolType: 'stroke', symbolStrokeColor: '#444', symbolStrokeWidth: 2 },
} as const;

/** Tooltip rows of a value's seed spread: its mean (titled), lowest and highest seed, and how many seeds. */
export function seedSpreadTooltip(meanTitle: string, format: string) {
  return [
    { field: 'mean', title: meanTitle, format },
    { field: 'min', format },
    { field: 'max', format },
    { field: 'seeds' },
  ];
}

/**
 * An error's seed range (min to max) shaded behind its mean lines, on a percentage axis: one area
 * per colour and `detail` value; `encoding` adds channels (an opacity that follows a legend pick).
 */
export function errorRange(opts: {
  opacity: number;
  title: string;
  x: Record<string, unknown>;
  colour: Record<string, unknown>;
  detail: string;
  encoding?: Record<string, unknown>;
}) {
  return {
    mark: { type: 'area', opacity: opts.opacity },
    encoding: {
      x: opts.x,
      y: { field: 'min', type: 'quantitative', title: opts.title, axis: { format: '.0%' } },
      y2: { field: 'max' },
      color: opts.colour,
      detail: { field: opts.detail, type: 'nominal' },
      ...opts.encoding,
    },
  };
}

/**
 * The band (min to max) and the mean line of rows with `mean`, `min` and `max` over a quantitative
 * x, one colour per net; the band's channels carry the axis titles and scales.
 */
export function seedBandLayers(opts: {
  x: { field: string; title: string; scale?: Record<string, unknown>; axis?: Record<string, unknown> };
  /** The y axis: its title, scale and format. */
  y: Record<string, unknown>;
  colour: Record<string, unknown>;
  pointSize: number;
  tooltip: Record<string, unknown>[];
}) {
  return [
    {
      mark: { type: 'errorband', opacity: 0.2 },
      encoding: {
        x: { type: 'quantitative', ...opts.x },
        y: { field: 'min', type: 'quantitative', ...opts.y },
        y2: { field: 'max' },
        color: opts.colour,
      },
    },
    {
      mark: { type: 'line', point: { size: opts.pointSize } },
      encoding: {
        x: { field: opts.x.field, type: 'quantitative' },
        y: { field: 'mean', type: 'quantitative' },
        color: opts.colour,
        strokeDash: ARCHITECTURE_DASH,
        tooltip: opts.tooltip,
      },
    },
  ];
}
