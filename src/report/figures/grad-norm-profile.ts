// Where gradients vanish: each layer's gradient norm against its depth index, at initialisation
// and at later probe steps, log scale, plain vs residual, with and without normalisation.
import { arch, archDomain, groupBy, layersOf, round4, settingLabeller } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { depthLines } from './depth-lines.js';
import {
  emptyFigure,
  type Figure,
  figureSpec,
  logY,
  rankedFacet,
  type TopLevelSpec,
  withFacetRanks,
} from './figure.js';

/** Step 0, the probe step nearest the middle, and the last one. */
export function profileSteps(steps: readonly number[]): number[] {
  const distinct = [...new Set(steps)].sort((a, b) => a - b);
  if (distinct.length === 0) return [];
  const last = distinct[distinct.length - 1];
  const middle = distinct.reduce((best, s) =>
    Math.abs(s - last / 2) < Math.abs(best - last / 2) ? s : best,
  );
  return [...new Set([distinct[0], middle, last])];
}

export function gradNormProfile(data: ReportData, steps?: readonly number[]): TopLevelSpec {
  const heading = 'Gradient-norm profile by depth';
  const grads = layersOf(data, 'grad_norm').filter((l) => l.value > 0 && Number.isFinite(l.value));
  if (grads.length === 0) return emptyFigure(heading, 'No positive grad_norm in any layers.csv.');
  const chosen = steps ?? profileSteps(grads.map((g) => g.step));
  const wanted = new Set(chosen);
  const setting = settingLabeller(data.runs);
  const stepLabel = (s: number) => (s === 0 ? 'step 0 (init)' : `step ${s}`);

  const groups = groupBy(
    grads.filter((g) => wanted.has(g.step)),
    (g) => [setting(g), arch(g), g.depth, g.step, g.depth_index].join('\u0000'),
  );
  // Geometric mean over seeds: the quantity spans orders of magnitude.
  const values = [...groups.values()].map((gs) => ({
    setting: setting(gs[0]) || 'all runs',
    arch: arch(gs[0]),
    depth: gs[0].depth,
    step: stepLabel(gs[0].step),
    index: gs[0].depth_index,
    grad: round4(Math.exp(gs.reduce((sum, g) => sum + Math.log(g.value), 0) / gs.length)),
    seeds: gs.length,
  }));
  const settings = new Set(values.map((v) => v.setting));
  return figureSpec(
    heading,
    [
      'gradient norm of each weighted layer (input on the left, output on the right) · geometric mean over seeds',
      'a line falling steeply to the left is vanishing gradients; a flat one is healthy',
      settings.size > 1 ? 'line style: setting (e.g. norm=batch vs norm=none)' : '',
    ],
    {
      data: { values: withFacetRanks(values, { arch: archDomain(data.runs), step: chosen.map(stepLabel) }) },
      facet: {
        column: rankedFacet('arch'),
        row: rankedFacet('step'),
      },
      spec: depthLines({
        pick: 'pickDepthG',
        size: { width: 320, height: 180 },
        pointSize: 10,
        x: { field: 'index', title: 'depth index (from input)' },
        y: logY('grad', 'grad norm'),
        strokeDash: settings.size > 1 ? { field: 'setting', type: 'nominal', title: 'setting' } : undefined,
        detail: 'setting',
        tooltip: [
          { field: 'setting' },
          { field: 'arch', title: 'net' },
          { field: 'depth' },
          { field: 'step' },
          { field: 'index', title: 'depth index' },
          { field: 'grad', title: 'grad norm', format: '.3e' },
          { field: 'seeds' },
        ],
      }),
    },
  );
}

export const figure: Figure = {
  id: 'grad-norm-profile',
  title: 'Gradient-norm profile',
  reads: ['layers'],
  build: (d) => gradNormProfile(d),
};
