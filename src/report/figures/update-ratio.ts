// Update ratio ||dW|| / ||W|| by layer over training, against CS231n's rule of thumb that a
// healthy ratio sits near 1e-3 (much lower: the layer barely learns; much higher: too large a step).
import {
  arch,
  groupBy,
  layersOf,
  netLabel,
  orderRuns,
  round4,
  settingLabeller,
  stepBinner,
} from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { emptyFigure, type Figure, figureSpec, inRunOrder, logY, type TopLevelSpec } from './figure.js';

const MAX_LAYERS = 12;
const MAX_STEPS = 60;
const BAND = [10 ** -3.5, 10 ** -2.5];

/** At most `count` values spread evenly over the sorted list, always keeping first and last. */
export function evenlySpaced(sorted: number[], count: number): number[] {
  if (sorted.length <= count) return sorted;
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) picked.add(sorted[Math.round((i * (sorted.length - 1)) / (count - 1))]);
  return [...picked];
}

export function updateRatio(data: ReportData): TopLevelSpec {
  const heading = 'Update ratio by layer over training';
  const ratios = layersOf(data, 'update_ratio').filter((l) => l.value > 0 && Number.isFinite(l.value));
  if (ratios.length === 0) return emptyFigure(heading, 'No positive update_ratio in any layers.csv.');
  const setting = settingLabeller(data.runs);
  const panel = (r: { residual: boolean; depth: number } & Parameters<typeof setting>[0]) =>
    [setting(r), netLabel(r)].filter((s) => s).join(' · ');
  const bin = stepBinner(
    ratios.map((r) => r.step),
    MAX_STEPS,
  );

  const byNet = groupBy(ratios, panel);
  const panelOrder = [...new Set(orderRuns(data.runs).map(panel))];
  let thinnedLayers = false;
  const values: Record<string, unknown>[] = [];
  for (const [name, points] of byNet) {
    const indices = [...new Set(points.map((p) => p.depth_index))].sort((a, b) => a - b);
    const kept = new Set(evenlySpaced(indices, MAX_LAYERS));
    if (kept.size < indices.length) thinnedLayers = true;
    const cells = groupBy(
      points.filter((p) => kept.has(p.depth_index)),
      (p) => `${p.depth_index},${bin.of(p.step)}`,
    );
    for (const cell of cells.values()) {
      values.push({
        panel: name,
        order: panelOrder.indexOf(name),
        arch: arch(cell[0]),
        layer: cell[0].layer,
        index: cell[0].depth_index,
        step: bin.of(cell[0].step),
        ratio: round4(Math.exp(cell.reduce((sum, p) => sum + Math.log(p.value), 0) / cell.length)),
      });
    }
  }

  return figureSpec(
    heading,
    [
      "one line per layer (colour: depth index), geometric mean over seeds · grey band: 10^±0.5 around CS231n's ~1e-3 rule of thumb (red line)",
      [
        thinnedLayers ? `at most ${MAX_LAYERS} layers a net, evenly spaced in depth` : '',
        bin.width > 0 ? `steps averaged into bins of ${bin.width}` : '',
      ]
        .filter((s) => s)
        .join(' · '),
    ],
    {
      data: { values },
      facet: { ...inRunOrder('panel'), header: { labelLimit: 0 } },
      columns: Math.min(4, byNet.size),
      spec: {
        width: 200,
        height: 140,
        layer: [
          {
            transform: [{ aggregate: [{ op: 'count', as: 'n' }] }],
            mark: { type: 'rect', color: '#999', opacity: 0.18 },
            encoding: { y: { datum: BAND[0], type: 'quantitative' }, y2: { datum: BAND[1] } },
          },
          {
            transform: [{ aggregate: [{ op: 'count', as: 'n' }] }],
            mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] },
            encoding: { y: { datum: 1e-3, type: 'quantitative' } },
          },
          {
            mark: { type: 'line', strokeWidth: 1 },
            encoding: {
              x: { field: 'step', type: 'quantitative', title: 'step' },
              y: logY('ratio', 'update / weight norm'),
              color: {
                field: 'index',
                type: 'quantitative',
                title: 'depth index',
                scale: { scheme: 'plasma' },
              },
              detail: { field: 'layer', type: 'nominal' },
              tooltip: [
                { field: 'panel', title: 'net' },
                { field: 'layer' },
                { field: 'step' },
                { field: 'ratio', format: '.2e' },
              ],
            },
          },
        ],
      },
    },
  );
}

export const figure: Figure = {
  id: 'update-ratio',
  title: 'Update ratio',
  reads: ['layers'],
  build: updateRatio,
};
