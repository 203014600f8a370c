// Transfer: which layers moved during adaptation. Relative distance from the
// pretrained weights, ||W - W0|| / ||W0|| (the weight_drift probe), by depth index at the end of
// each run; one panel per adaptation mode, plain vs residual (vs VGG) by colour. Runs from scratch
// are left out, and so is the new head: their W0 is a random init, not pretrained weights (the
// head's change would dwarf the body's).
import { layersOf, round4, spread } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { hasTransferRuns, layerValues, transferRuns } from '../transfer-runs.js';
import { emptyFigure, type Figure, type TopLevelSpec } from './figure.js';
import { layerLinesByMode } from './mode-panels.js';

export function transferWeightDrift(data: ReportData): TopLevelSpec {
  const heading = 'Transfer: relative weight change by layer after adaptation';
  const runs = new Map(
    transferRuns(data)
      .filter((t) => t.baseMode !== 'scratch')
      .map((t) => [t.run.run, t]),
  );
  const drift = layersOf(data, 'weight_drift').filter(
    (l) => runs.has(l.run) && !l.layer.startsWith('head.') && Number.isFinite(l.value),
  );
  if (drift.length === 0) return emptyFigure(heading, 'No weight_drift probe in any transfer run.');
  const lastStep = new Map<string, number>();
  for (const l of drift) lastStep.set(l.run, Math.max(lastStep.get(l.run) ?? -Infinity, l.step));
  // The largest budget each backbone x mode was run with: the most adapted weights.
  const budget = (labels: number | null) => labels ?? Infinity; // null = the whole target set
  const largest = new Map<string, number>();
  for (const t of runs.values()) {
    const key = `${t.backbone}\u0000${t.mode}`;
    largest.set(key, Math.max(largest.get(key) ?? -Infinity, budget(t.labels)));
  }
  const final = drift.filter((l) => {
    const t = runs.get(l.run)!;
    return l.step === lastStep.get(l.run) && budget(t.labels) === largest.get(`${t.backbone}\u0000${t.mode}`);
  });
  const values = layerValues(final, runs, (ls, t) => ({
    drift: round4(spread(ls.map((l) => l.value)).mean),
    seeds: ls.length,
    labels: t.labels === null ? 'all' : t.labels,
  }));
  return layerLinesByMode({
    heading,
    subtitle: [
      '||W - W0|| / ||W0|| per layer at the end of adaptation, W0 = pretrained weights · mean over seeds',
      'each line at the largest label budget it was run with · frozen layers stay at 0 · the new head is not shown',
    ],
    values,
    y: { field: 'drift', title: 'relative weight change' },
    tooltip: { format: '.3f', extra: [{ field: 'labels', title: 'labels/class' }, { field: 'seeds' }] },
  });
}

export const figure: Figure = {
  id: 'transfer-weight-drift',
  title: 'Transfer: weight change by layer',
  build: transferWeightDrift,
  applies: hasTransferRuns,
};
