// The degradation at a glance: final training and test error against depth, plain vs residual,
// one point per seed and a line through the seed means.
import { arch, archColours, archDomain, finalErrors, round4, settingLabeller } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { emptyFigure, type Figure, figureSpec, legendPick, type TopLevelSpec } from './figure.js';
import { settingPanels } from './setting-panels.js';

export function errorVsDepth(data: ReportData): TopLevelSpec {
  const heading = 'Final error against depth';
  const finals = finalErrors(data.runs, data.metrics);
  const setting = settingLabeller(data.runs);
  const values: Record<string, unknown>[] = [];
  let missing = 0;
  for (const run of data.runs) {
    const final = finals.get(run.run)!;
    for (const [split, error] of [
      ['training error', final.train],
      ['test error', final.test],
    ] as const) {
      if (!Number.isFinite(error)) {
        missing++;
        continue;
      }
      values.push({
        setting: setting(run),
        arch: arch(run),
        depth: run.depth,
        seed: run.seed,
        run: run.run,
        status: run.manifest.status,
        split,
        error: round4(error),
      });
    }
  }
  if (values.length === 0) return emptyFigure(heading, 'No run has a final or logged error.');

  const x = {
    field: 'depth',
    type: 'quantitative',
    title: 'depth (weighted layers)',
    scale: { zero: false },
  };
  const color = {
    field: 'arch',
    type: 'nominal',
    title: 'net',
    scale: { domain: archDomain(data.runs), range: archColours(archDomain(data.runs)) },
  };
  return figureSpec(
    heading,
    [
      'points: one run (seed) each, hollow when the run did not complete · line: mean over seeds',
      "final error = the manifest's final evaluation, else the last logged value (diverged runs: at divergence)",
      missing > 0 ? `${missing} run-split value(s) missing (no error logged) and left out` : '',
    ],
    settingPanels(
      values,
      { field: 'split', order: ['training error', 'test error'] },
      {
        width: 300,
        height: 220,
        layer: [
          {
            mark: { type: 'line', point: false, strokeWidth: 2 },
            params: legendPick('pickArch', 'arch'),
            encoding: {
              x,
              y: {
                aggregate: 'mean',
                field: 'error',
                type: 'quantitative',
                title: 'final error',
                axis: { format: '.0%' },
              },
              color,
              opacity: { condition: { param: 'pickArch', value: 1 }, value: 0.15 },
            },
          },
          {
            mark: { type: 'point', size: 50, strokeWidth: 1.5 },
            encoding: {
              x,
              y: { field: 'error', type: 'quantitative', axis: { format: '.0%' } },
              color,
              fill: {
                condition: {
                  test: "datum.status === 'completed'",
                  field: 'arch',
                  type: 'nominal',
                  scale: color.scale,
                },
                value: 'white',
              },
              fillOpacity: { value: 0.7 },
              opacity: { condition: { param: 'pickArch', value: 1 }, value: 0.15 },
              tooltip: [
                { field: 'run' },
                { field: 'depth' },
                { field: 'seed' },
                { field: 'status' },
                { field: 'split' },
                { field: 'error', format: '.2%' },
              ],
            },
          },
        ],
      },
    ),
  );
}

export const figure: Figure = {
  id: 'error-vs-depth',
  title: 'Error vs depth',
  reads: ['metrics'],
  build: errorVsDepth,
};
