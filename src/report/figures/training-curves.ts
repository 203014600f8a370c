// Fig. 1 / Fig. 6 of He et al. 2015: training error (thin) and test error (bold) against
// iterations, one colour per depth, plain and residual side by side on shared axes; the line is
// the mean over seeds and the band its min-max range.
import { arch, archDomain, groupBy, round4, settingLabeller, spread, stepBinner } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { emptyFigure, type Figure, figureSpec, legendPick, type TopLevelSpec } from './figure.js';
import { errorRange, seedSpreadTooltip } from './seed-band.js';
import { settingPanels } from './setting-panels.js';

/** Points per curve; longer runs are averaged into this many step bins. */
const MAX_POINTS = 150;

export function trainingCurves(data: ReportData): TopLevelSpec {
  const heading = 'Training curves: error against iterations';
  const errors = data.metrics.filter(
    (m) => m.metric === 'error' && (m.split === 'train' || m.split === 'test') && Number.isFinite(m.value),
  );
  if (errors.length === 0) return emptyFigure(heading, 'No error values in any metrics.csv.');
  const setting = settingLabeller(data.runs);
  const bin = stepBinner(
    errors.map((m) => m.step),
    MAX_POINTS,
  );

  // First average each run within a step bin, then take mean and range over seeds.
  const perRun = groupBy(errors, (m) => `${m.run}\u0000${m.split}\u0000${bin.of(m.step)}`);
  const runPoints = [...perRun.values()].map((points) => ({
    ...points[0],
    step: bin.of(points[0].step),
    value: spread(points.map((p) => p.value)).mean,
  }));
  const bySeeds = groupBy(runPoints, (p) => [setting(p), arch(p), p.depth, p.split, p.step].join('\u0000'));
  const values = [...bySeeds.values()].map((points) => {
    const s = spread(points.map((p) => p.value));
    const p = points[0];
    return {
      setting: setting(p),
      arch: arch(p),
      depth: p.depth,
      split: p.split,
      step: p.step,
      mean: round4(s.mean),
      min: round4(s.min),
      max: round4(s.max),
      seeds: s.n,
    };
  });

  const seedCounts = new Set(values.map((v) => v.seeds));
  const lastStepBySetting = [...groupBy(values, (v) => v.setting).values()].map((vs) =>
    Math.max(...vs.map((v) => v.step)),
  );
  const x = { field: 'step', type: 'quantitative', title: 'iteration' };
  const color = {
    field: 'depth',
    type: 'ordinal',
    title: 'depth',
    scale: { scheme: 'viridis' },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolOpacity: 1 },
  };
  const picked = { param: 'pickDepth', empty: true };
  return figureSpec(
    heading,
    [
      'thin: training error (running, per logging step) · bold: test error · line: mean over seeds, band: min-max',
      `seeds per curve: ${[...seedCounts].sort().join(', ')}` +
        (bin.width > 0
          ? ` · steps averaged into bins of ${bin.width} iterations (≤ ${MAX_POINTS} points a curve)`
          : ''),
      'click a depth in the legend to highlight it',
    ],
    settingPanels(
      values,
      { field: 'arch', order: archDomain(data.runs) },
      {
        width: 320,
        height: 220,
        layer: [
          errorRange({
            opacity: 0.15,
            title: 'error',
            x,
            colour: color,
            detail: 'split',
            encoding: { opacity: { condition: { ...picked, value: 0.15 }, value: 0.03 } },
          }),
          {
            mark: { type: 'line', interpolate: 'monotone' },
            params: legendPick('pickDepth', 'depth'),
            encoding: {
              x,
              y: { field: 'mean', type: 'quantitative', title: 'error', axis: { format: '.0%' } },
              color,
              strokeWidth: {
                field: 'split',
                type: 'ordinal',
                sort: ['train', 'test'],
                title: 'split',
                scale: { domain: ['train', 'test'], range: [1, 2.8] },
              },
              opacity: { condition: { ...picked, value: 1 }, value: 0.15 },
              tooltip: [
                { field: 'arch', title: 'net' },
                { field: 'depth' },
                { field: 'split' },
                { field: 'step', title: 'iteration' },
                ...seedSpreadTooltip('mean error', '.2%'),
              ],
            },
          },
        ],
      },
      new Set(lastStepBySetting).size > 1,
    ),
  );
}

export const figure: Figure = {
  id: 'training-curves',
  title: 'Training curves',
  reads: ['metrics'],
  build: trainingCurves,
};
