// Transfer: target test error against labels per class, one line per backbone x
// adaptation mode, mean over seeds with a min-max band. How much target data each choice needs.
import { groupBy, round4, spread } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { hasTransferRuns, transferRuns } from '../transfer-runs.js';
import { emptyFigure, type Figure, figureSpec, legendPick, type TopLevelSpec } from './figure.js';
import { errorRange, seedSpreadTooltip } from './seed-band.js';

const MODE_ORDER = ['finetune', 'finetune-last', 'linear', 'scratch'];
const DASHES = [
  [1, 0],
  [8, 4],
  [2, 3],
  [10, 3, 2, 3],
  [4, 4],
];
const baseOf = (mode: string) => (mode.startsWith('finetune-last') ? 'finetune-last' : mode);

export function transferLabelBudget(data: ReportData): TopLevelSpec {
  const heading = 'Transfer: target test error against labels per class';
  const runs = transferRuns(data).filter((t) => Number.isFinite(t.testError));
  const budgeted = runs.filter((t) => t.labels !== null);
  if (budgeted.length === 0)
    return emptyFigure(heading, 'No transfer run with a label budget (data.labelsPerClass).');
  const groups = groupBy(budgeted, (t) => `${t.backbone}\u0000${t.mode}\u0000${t.labels}`);
  const values = [...groups.values()].map((ts) => {
    const s = spread(ts.map((t) => t.testError));
    return {
      backbone: ts[0].backbone,
      mode: ts[0].mode,
      line: `${ts[0].backbone} · ${ts[0].mode}`,
      labels: ts[0].labels,
      mean: round4(s.mean),
      min: round4(s.min),
      max: round4(s.max),
      seeds: s.n,
    };
  });
  const fullData = runs.length - budgeted.length;
  const budgets = values.map((v) => v.labels as number);
  const x = {
    field: 'labels',
    type: 'quantitative',
    title: 'labels per class (target)',
    scale: { type: 'log', domain: [Math.min(...budgets), Math.max(...budgets)], nice: false },
    axis: { values: [...new Set(budgets)].sort((a, b) => a - b) },
  };
  // One dash pattern per adaptation, told apart at a glance: solid for full fine-tuning.
  const modes = [...new Set(values.map((v) => v.mode))].sort(
    (a, b) => MODE_ORDER.indexOf(baseOf(a)) - MODE_ORDER.indexOf(baseOf(b)) || a.localeCompare(b),
  );
  const strokeDash = {
    field: 'mode',
    type: 'nominal',
    title: 'adaptation',
    scale: { domain: modes, range: modes.map((_, i) => DASHES[i % DASHES.length]) },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400 },
  };
  const color = {
    field: 'backbone',
    type: 'nominal',
    title: 'backbone',
    legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolOpacity: 1 },
  };
  return figureSpec(
    heading,
    [
      'line: mean over seeds, band: min-max · colour: backbone, line style: how it was adapted',
      fullData > 0 ? `${fullData} run(s) trained on the whole target set are not plotted (no budget)` : '',
    ],
    {
      data: { values },
      width: 440,
      height: 280,
      layer: [
        errorRange({ opacity: 0.12, title: 'target test error', x, colour: color, detail: 'mode' }),
        {
          mark: { type: 'line', point: true },
          params: legendPick('pickLine', 'backbone'),
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', axis: { format: '.0%' } },
            color,
            strokeDash,
            opacity: { condition: { param: 'pickLine', value: 1 }, value: 0.15 },
            tooltip: [
              { field: 'backbone' },
              { field: 'mode', title: 'adaptation' },
              { field: 'labels', title: 'labels/class' },
              ...seedSpreadTooltip('mean test error', '.2%'),
            ],
          },
        },
      ],
    },
  );
}

export const figure: Figure = {
  id: 'transfer-label-budget',
  title: 'Transfer: error vs labels per class',
  build: transferLabelBudget,
  applies: hasTransferRuns,
};
