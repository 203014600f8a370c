// Transfer: how gradients flow into a pretrained body. Gradient norm by depth index at
// each run's first probe (the first fine-tuning step), log scale; frozen layers have none.
import { layersOf, round4 } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { hasTransferRuns, layerValues, transferRuns } from '../transfer-runs.js';
import { emptyFigure, type Figure, type TopLevelSpec } from './figure.js';
import { layerLinesByMode } from './mode-panels.js';

export function transferFirstStepGrads(data: ReportData): TopLevelSpec {
  const heading = 'Transfer: gradient norm by layer at the first fine-tuning step';
  const runs = new Map(transferRuns(data).map((t) => [t.run.run, t]));
  const grads = layersOf(data, 'grad_norm').filter(
    (l) => runs.has(l.run) && l.value > 0 && Number.isFinite(l.value),
  );
  if (grads.length === 0) return emptyFigure(heading, 'No positive grad_norm in any transfer run.');
  const firstStep = new Map<string, number>();
  for (const g of grads) firstStep.set(g.run, Math.min(firstStep.get(g.run) ?? Infinity, g.step));
  const first = grads.filter((g) => g.step === firstStep.get(g.run));
  const values = layerValues(first, runs, (gs) => ({
    // Geometric mean over seeds and label budgets: norms span orders of magnitude.
    grad: round4(Math.exp(gs.reduce((sum, g) => sum + Math.log(g.value), 0) / gs.length)),
    runs: gs.length,
  }));
  return layerLinesByMode({
    heading,
    subtitle: [
      "gradient norm of each trainable layer at each run's first probe step, geometric mean over seeds and label budgets",
      'frozen layers get no gradient and are absent · a steep fall towards the input = little signal reaches the early layers',
    ],
    values,
    y: { field: 'grad', title: 'grad norm', scale: { type: 'log' }, axis: { format: '.0e' } },
    tooltip: { format: '.3e', extra: [{ field: 'runs' }] },
  });
}

export const figure: Figure = {
  id: 'transfer-first-step-grads',
  title: 'Transfer: gradients at the first step',
  build: transferFirstStepGrads,
  applies: hasTransferRuns,
};
