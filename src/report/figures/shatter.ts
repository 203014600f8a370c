// Shattered gradients (Balduzzi et al. 2017 Figs. 1 and 3): at initialisation, the derivative of the
// output along a line of inputs (brown noise when gradients are correlated, white noise when they
// shatter), the correlation of gradients k points apart, and the correlation of neighbouring
// gradients against depth; plain beside residual, with and without normalisation.
import { arch, archColours, archDomain, groupBy, round4, settingLabeller, spread } from '../aggregate.js';
import type { ReportData, ShatterPoint } from '../rows.js';
import {
  analysisFigure,
  emptyFigure,
  figureSpec,
  type Figure,
  rankedFacet,
  type TopLevelSpec,
  withFacetRanks,
} from './figure.js';
import { ARCHITECTURE, seedBandLayers, seedSpreadTooltip } from './seed-band.js';

const net = (p: ShatterPoint): string => `${arch(p)}-${p.depth}`;

/** Mean and range over seeds of the value at each position, per net and setting. */
function seedBands(points: ShatterPoint[], settingOf: (p: ShatterPoint) => string) {
  return [...groupBy(points, (p) => `${net(p)}\u0000${settingOf(p)}\u0000${p.position}`).values()].map(
    (ps) => {
      const s = spread(ps.map((p) => p.value));
      return {
        net: net(ps[0]),
        arch: arch(ps[0]),
        depth: ps[0].depth,
        setting: settingOf(ps[0]) || 'all nets',
        position: ps[0].position,
        mean: round4(s.mean),
        min: round4(s.min),
        max: round4(s.max),
        seeds: s.n,
      };
    },
  );
}

/** The lowest seed's derivative along the line, divided by its root mean square so nets share an axis. */
function lines(points: ShatterPoint[], settingOf: (p: ShatterPoint) => string) {
  const out: object[] = [];
  for (const ps of groupBy(points, (p) => `${net(p)}\u0000${settingOf(p)}`).values()) {
    const seed = Math.min(...ps.map((p) => p.seed));
    const own = ps.filter((p) => p.seed === seed);
    const rms = Math.sqrt(spread(own.map((p) => p.value * p.value)).mean) || 1;
    for (const p of own)
      out.push({
        net: net(p),
        arch: arch(p),
        depth: p.depth,
        setting: settingOf(p) || 'all nets',
        t: p.position,
        value: round4(p.value / rms),
      });
  }
  return out;
}

export function shatterFigure(data: ReportData): TopLevelSpec {
  const heading = 'Shattered gradients at initialisation (Balduzzi et al. 2017)';
  const ok = data.shatter.filter((p) => p.status === 'ok' && Number.isFinite(p.value));
  if (ok.length === 0) return emptyFigure(heading, 'No shatter.csv: run gradflow shatter on an experiment.');
  // Settings over the rows: each row's norm is the measured net's.
  const settingOf = settingLabeller(ok);
  const gradient = lines(
    ok.filter((p) => p.series === 'gradient'),
    settingOf,
  );
  const autocorrelation = seedBands(
    ok.filter((p) => p.series === 'autocorrelation'),
    settingOf,
  );
  const neighbours = autocorrelation.filter((r) => r.position === 1);
  const nets = [...new Set(autocorrelation.map((r) => r.net))].sort(
    (a, b) => Number(a.split('-').at(-1)) - Number(b.split('-').at(-1)) || a.localeCompare(b),
  );
  const colour = { field: 'net', type: 'nominal', title: 'net', sort: nets } as const;
  const correlationAxis = { scale: { domain: [-0.2, 1] }, axis: { format: '.1f' } };

  const alongLine = {
    title: { text: 'd output / dt along the line (lowest seed, scaled to unit RMS)', fontSize: 12 },
    data: { values: withFacetRanks(gradient, { net: nets }) },
    facet: {
      row: rankedFacet('net'),
      column: { field: 'setting', type: 'nominal', title: null },
    },
    spec: {
      width: 260,
      height: 45,
      mark: { type: 'line', strokeWidth: 1 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'position t along the line' },
        y: { field: 'value', type: 'quantitative', title: null, axis: { tickCount: 3 } },
        color: colour,
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
  const band = (
    heading: string,
    x: string,
    xTitle: string,
    values: object[],
    scaleType: 'linear' | 'log',
    lineColour: Record<string, unknown>,
  ) => ({
    title: { text: heading, fontSize: 12 },
    data: { values },
    facet: { column: { field: 'setting', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 200,
      layer: seedBandLayers({
        x: { field: x, title: xTitle, scale: { type: scaleType, nice: false } },
        y: { title: 'gradient correlation', ...correlationAxis },
        colour: lineColour,
        pointSize: 16,
        tooltip: [
          { field: 'net' },
          { field: 'setting' },
          { field: x, title: xTitle },
          ...seedSpreadTooltip('mean correlation', '.3f'),
        ],
      }),
    },
  });
  return figureSpec(
    heading,
    [
      'Gradients of a fixed random projection of the logits with respect to the input, at points along a line between two training images.',
      'Correlated neighbours (brown noise) make gradients informative; in deep plain nets they decorrelate (white noise). Normalisation uses the line as its batch.',
    ],
    {
      vconcat: [
        alongLine,
        band(
          'gradient autocorrelation against lag',
          'position',
          'lag (points apart)',
          autocorrelation,
          'log',
          colour,
        ),
        band(
          'correlation of neighbouring gradients (lag 1) against depth',
          'depth',
          'depth',
          neighbours,
          'linear',
          {
            ...ARCHITECTURE,
            scale: { domain: archDomain(data.runs), range: archColours(archDomain(data.runs)) },
          },
        ),
      ],
      resolve: { scale: { color: 'independent' } },
    },
  );
}

export const figure: Figure = analysisFigure('shatter', 'Shattered gradients', 'shatter', shatterFigure);
