// The lesion study (Veit et al. 2016 Figs. 3 and 5): test error when one block is deleted, by the
// depth index of the deleted block, and when k random blocks are deleted together, plain beside
// residual; lines are seed means, bands the range over seeds, the grey rule is chance.
import { arch, groupBy, netOrder, round4, spread } from '../aggregate.js';
import type { LesionPoint, ReportData } from '../rows.js';
import { analysisFigure, emptyFigure, figureSpec, type Figure, type TopLevelSpec } from './figure.js';
import { seedBandLayers, seedSpreadTooltip } from './seed-band.js';

const net = (p: LesionPoint): string => `${arch(p)}-${p.depth}`;

/** Mean and range over seeds of `value` per group, one row each. */
function bySeed(points: LesionPoint[], key: (p: LesionPoint) => string, x: (p: LesionPoint) => number) {
  return [...groupBy(points, key).values()].map((ps) => {
    const s = spread(ps.map((p) => p.error));
    return {
      net: net(ps[0]),
      arch: arch(ps[0]),
      depth: ps[0].depth,
      x: x(ps[0]),
      mean: round4(s.mean),
      min: round4(s.min),
      max: round4(s.max),
      seeds: s.n,
    };
  });
}

export function lesionFigure(data: ReportData): TopLevelSpec {
  const heading = 'Lesion study (Veit et al. 2016)';
  const ok = data.lesions.filter((p) => p.status === 'ok' && Number.isFinite(p.error));
  if (ok.length === 0) return emptyFigure(heading, 'No lesion.csv: run gradflow lesion on completed runs.');
  const single = bySeed(
    ok.filter((p) => p.mode === 'single'),
    (p) => `${net(p)}\u0000${p.depth_index}`,
    (p) => p.depth_index,
  );
  // Random sets: each run's mean over its draws first, then the spread over seeds.
  const perRun = [
    ...groupBy(
      ok.filter((p) => p.mode === 'random'),
      (p) => `${p.run}\u0000${p.k}`,
    ).values(),
  ].map((ps) => ({ ...ps[0], error: spread(ps.map((p) => p.error)).mean }));
  const random = bySeed(
    perRun,
    (p) => `${net(p)}\u0000${p.k}`,
    (p) => p.k,
  );
  const chance = spread(ok.filter((p) => p.mode === 'chance').map((p) => p.error)).mean;
  const nets = netOrder([...single, ...random].map((r) => r.net));

  const panel = (values: unknown[], xTitle: string, subtitle: string) => ({
    title: { text: subtitle, fontSize: 12 },
    width: 340,
    height: 220,
    layer: [
      // Data per layer, not per panel: the chance rule has its own.
      ...seedBandLayers({
        // Block counts and indices are whole numbers: no ticks between them.
        x: { field: 'x', title: xTitle, axis: { tickMinStep: 1, format: 'd' } },
        y: { title: 'test error', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
        colour: { field: 'net', type: 'nominal', title: 'net', sort: nets },
        pointSize: 16,
        tooltip: [{ field: 'net' }, { field: 'x', title: xTitle }, ...seedSpreadTooltip('mean error', '.1%')],
      }).map((layer) => ({ data: { values }, ...layer })),
      ...(Number.isFinite(chance)
        ? [
            {
              data: { values: [{ chance }] },
              mark: { type: 'rule', color: '#999', strokeDash: [4, 3] },
              encoding: { y: { field: 'chance', type: 'quantitative' } },
            },
          ]
        : []),
    ],
  });
  return figureSpec(
    heading,
    [
      'Deleting a block of a residual net costs little; deleting a layer block of a plain net sends it towards chance (grey).',
      'Down-sampling blocks (shapes change) cannot be deleted and are left out.',
    ],
    {
      hconcat: [
        panel(single, 'depth index of the deleted block', 'one block deleted'),
        panel(random, 'blocks deleted (random draws)', 'k random blocks deleted'),
      ],
      resolve: { scale: { color: 'shared' } },
    },
  );
}

export const figure: Figure = analysisFigure('lesion', 'Lesion study', 'lesions', lesionFigure);
