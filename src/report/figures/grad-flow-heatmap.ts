// Gradient flow over training: depth index x step, colour = log10 gradient norm, one panel per run
// ordered by depth. A large sweep has too many cells for a page, so cells are merged into
// blocks of steps x layers (mean of log10) to stay within a total budget, and the title says so.
import { groupBy, layersOf, orderRuns, round4 } from '../aggregate.js';
import type { LayerPoint, ReportData } from '../rows.js';
import { emptyFigure, figureSpec, type Figure, type TopLevelSpec } from './figure.js';

/** Cells across all panels; about 250 bytes each in the page (spec data + pre-rendered SVG). */
export const HEATMAP_CELL_BUDGET = 16000;

interface Chunking {
  edges: number[]; // start of each chunk, plus one end past the last
  chunkOf: Map<number, number>;
}

/** Groups sorted distinct values into chunks of `size`; `pastEnd` closes the last chunk. */
function chunk(values: number[], size: number, pastEnd: number): Chunking {
  const chunkOf = new Map<number, number>();
  const edges: number[] = [];
  values.forEach((v, i) => {
    if (i % size === 0) edges.push(v);
    chunkOf.set(v, Math.floor(i / size));
  });
  edges.push(pastEnd);
  return { edges, chunkOf };
}

export function gradFlowHeatmap(data: ReportData, cellBudget = HEATMAP_CELL_BUDGET): TopLevelSpec {
  const heading = 'Gradient flow: log10 gradient norm by layer and step';
  const grads = layersOf(data, 'grad_norm').filter((l) => l.value > 0 && Number.isFinite(l.value));
  if (grads.length === 0) return emptyFigure(heading, 'No positive grad_norm in any layers.csv.');
  const byRun = groupBy(grads, (g) => g.run);
  const runs = orderRuns(data.runs.filter((r) => byRun.has(r.run)));
  const perRun = Math.max(64, Math.floor(cellBudget / runs.length));

  const values: Record<string, unknown>[] = [];
  let thinned = 0;
  let biggestBlock = { steps: 1, layers: 1 };
  for (const run of runs) {
    const points = byRun.get(run.run)!;
    const steps = [...new Set(points.map((p) => p.step))].sort((a, b) => a - b);
    const layers = [...new Set(points.map((p) => p.depth_index))].sort((a, b) => a - b);
    let stepSize = 1;
    let layerSize = 1;
    if (steps.length * layers.length > perRun) {
      const factor = Math.sqrt((steps.length * layers.length) / perRun);
      const targetSteps = Math.max(1, Math.floor(steps.length / factor));
      const targetLayers = Math.max(1, Math.floor(perRun / targetSteps));
      stepSize = Math.ceil(steps.length / targetSteps);
      layerSize = Math.ceil(layers.length / targetLayers);
      thinned++;
      if (stepSize * layerSize > biggestBlock.steps * biggestBlock.layers)
        biggestBlock = { steps: stepSize, layers: layerSize };
    }
    const gap = steps.length > 1 ? steps[steps.length - 1] - steps[steps.length - 2] : 1;
    const stepChunks = chunk(steps, stepSize, steps[steps.length - 1] + gap);
    const layerChunks = chunk(layers, layerSize, layers[layers.length - 1] + 1);
    const cells = groupBy(
      points,
      (p: LayerPoint) => `${stepChunks.chunkOf.get(p.step)},${layerChunks.chunkOf.get(p.depth_index)}`,
    );
    for (const [key, cell] of cells) {
      const [s, l] = key.split(',').map(Number);
      values.push({
        run: run.run,
        step: stepChunks.edges[s],
        step2: stepChunks.edges[s + 1],
        index: layerChunks.edges[l],
        index2: layerChunks.edges[l + 1],
        log10: round4(cell.reduce((sum, p) => sum + Math.log10(p.value), 0) / cell.length),
      });
    }
  }

  return figureSpec(
    heading,
    [
      'one panel per run, ordered by setting, plain before residual, then depth · input layers at the bottom',
      thinned > 0
        ? `${thinned} of ${runs.length} runs thinned for size: cells merged into blocks of up to ${biggestBlock.steps} probe steps x ${biggestBlock.layers} layers (mean of log10)`
        : '',
    ],
    {
      data: { values },
      facet: {
        field: 'run',
        type: 'nominal',
        title: null,
        sort: runs.map((r) => r.run),
        header: { labelLimit: 0, labelFontSize: 10 },
      },
      columns: Math.min(4, runs.length),
      spec: {
        width: 170,
        height: 110,
        // Per-cell ARIA labels would add ~150 bytes a cell to the page; the tooltip carries them.
        mark: { type: 'rect', aria: false },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          x2: { field: 'step2' },
          y: { field: 'index', type: 'quantitative', title: 'depth index' },
          y2: { field: 'index2' },
          color: {
            field: 'log10',
            type: 'quantitative',
            title: 'log10 grad norm',
            scale: { scheme: 'viridis' },
          },
          tooltip: [
            { field: 'run' },
            { field: 'step', title: 'from step' },
            { field: 'index', title: 'from depth index' },
            { field: 'log10', title: 'log10 grad norm', format: '.2f' },
          ],
        },
      },
    },
  );
}

export const figure: Figure = {
  id: 'grad-flow-heatmap',
  title: 'Gradient-flow heatmap',
  reads: ['layers'],
  build: (d) => gradFlowHeatmap(d),
};
