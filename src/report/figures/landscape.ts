// The loss landscape (Li et al. 2018 Figs. 1 and 5): training loss along one filter-normalised
// direction around the trained weights (lines: seed means, bands: seed ranges) and over a 2-D
// slice (each net's seed mean, one colour scale for all), plain beside residual.
import { arch, groupBy, netOrder, round4, spread } from '../aggregate.js';
import type { LandscapePoint, ReportData } from '../rows.js';
import { analysisFigure, emptyFigure, figureSpec, type Figure, type TopLevelSpec } from './figure.js';
import { seedBandLayers } from './seed-band.js';

const net = (p: LandscapePoint): string => `${arch(p)}-${p.depth}`;

function seedMeans(points: LandscapePoint[]) {
  return [...groupBy(points, (p) => `${net(p)}\u0000${p.alpha}\u0000${p.beta}`).values()].map((ps) => {
    const s = spread(ps.map((p) => p.loss));
    return {
      net: net(ps[0]),
      arch: arch(ps[0]),
      alpha: ps[0].alpha,
      beta: ps[0].beta,
      mean: round4(s.mean),
      min: round4(s.min),
      max: round4(s.max),
      log10: round4(Math.log10(Math.max(s.mean, 1e-6))),
      seeds: s.n,
    };
  });
}

export function landscapeFigure(data: ReportData): TopLevelSpec {
  const heading = 'Loss landscape (Li et al. 2018)';
  const ok = data.landscapes.filter((p) => Number.isFinite(p.loss));
  if (ok.length === 0)
    return emptyFigure(heading, 'No landscape.csv: run gradflow landscape on completed runs.');
  const line = seedMeans(ok.filter((p) => p.dir === '1d'));
  const plane = seedMeans(ok.filter((p) => p.dir === '2d'));
  const nets = netOrder(line.concat(plane).map((r) => r.net));
  // Every other grid value labelled on the 2-D axes, so an 11-point axis stays legible.
  const ticks = [...new Set(plane.map((r) => r.alpha))]
    .sort((a, b) => a - b)
    .filter((_, i, all) => all.length <= 6 || i % 2 === 0);
  const oneD = {
    title: { text: 'along one direction', fontSize: 12 },
    width: 320,
    height: 220,
    data: { values: line },
    layer: seedBandLayers({
      x: { field: 'alpha', title: 'alpha (filter-normalised)' },
      y: { title: 'training loss', scale: { type: 'log' } },
      colour: { field: 'net', type: 'nominal', title: 'net', sort: nets },
      pointSize: 12,
      tooltip: [
        { field: 'net' },
        { field: 'alpha' },
        { field: 'mean', title: 'loss', format: '.3f' },
        { field: 'seeds' },
      ],
    }),
  };
  const twoD = {
    data: { values: plane },
    facet: { column: { field: 'net', type: 'nominal', title: null, sort: nets } },
    spec: {
      title: { text: '2-D slice', fontSize: 12 },
      width: 160,
      height: 160,
      mark: { type: 'rect' },
      encoding: {
        x: {
          field: 'alpha',
          type: 'ordinal',
          title: 'alpha',
          axis: { format: '.1f', labelAngle: 0, values: ticks },
        },
        y: {
          field: 'beta',
          type: 'ordinal',
          title: 'beta',
          sort: 'descending',
          axis: { format: '.1f', values: ticks },
        },
        color: { field: 'log10', type: 'quantitative', title: 'log10 loss', scale: { scheme: 'viridis' } },
        tooltip: [
          { field: 'net' },
          { field: 'alpha' },
          { field: 'beta' },
          { field: 'mean', title: 'loss', format: '.3f' },
        ],
      },
    },
  };
  return figureSpec(
    heading,
    [
      'Training loss on a fixed subset around the trained weights, along random directions with filter normalisation.',
      'Li et al. find residual nets smooth and nearly convex here, deep plain nets sharp and chaotic.',
    ],
    { vconcat: plane.length ? [oneD, twoD] : [oneD] },
  );
}

export const figure: Figure = analysisFigure('landscape', 'Loss landscape', 'landscapes', landscapeFigure);
