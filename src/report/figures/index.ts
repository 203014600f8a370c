// The report's figures, in the order the page shows them; a plugin may register more, shown after them.
import { createRegistry } from '../../ground/registry.js';
import { figure as trainingCurves } from './training-curves.js';
import { figure as errorVsDepth } from './error-vs-depth.js';
import { figure as layerResponses } from './layer-responses.js';
import { figure as gradNormProfile } from './grad-norm-profile.js';
import { figure as gradFlowHeatmap } from './grad-flow-heatmap.js';
import { figure as updateRatio } from './update-ratio.js';
import { figure as health } from './health.js';
import { figure as landscape } from './landscape.js';
import { figure as lesion } from './lesion.js';
import { figure as shatter } from './shatter.js';
import { figure as otherStats } from './other-stats.js';
import { figure as runTable } from './run-table.js';
import { figure as transferLabelBudget } from './transfer-label-budget.js';
import { figure as transferTable } from './transfer-table.js';
import { figure as transferWeightDrift } from './transfer-weight-drift.js';
import { figure as transferFirstStepGrads } from './transfer-first-step-grads.js';
import type { ReportData } from '../rows.js';
import type { Figure } from './figure.js';

export type { Figure } from './figure.js';

/** The built-in figures. */
export const FIGURES: readonly Figure[] = [
  trainingCurves,
  errorVsDepth,
  layerResponses,
  gradNormProfile,
  gradFlowHeatmap,
  updateRatio,
  health,
  otherStats,
  lesion,
  landscape,
  shatter,
  runTable,
  transferLabelBudget,
  transferTable,
  transferWeightDrift,
  transferFirstStepGrads,
];

const figures = createRegistry<{ name: string; figure: Figure }>('figure', {
  builtins: () => [
    { file: 'src/report/figures/index.ts', items: FIGURES.map((f) => ({ name: f.id, figure: f })) },
  ],
});

/** Register a figure under a new id (plugins: gradflow.registerFigure). */
export const registerFigure = (figure: Figure): Figure =>
  figures.register({ name: figure.id, figure }).figure;

/** The figures a report over `data` shows (transfer figures only with transfer runs). */
export function figuresFor(data: ReportData): Figure[] {
  return figures
    .list()
    .map((entry) => entry.figure)
    .filter((f) => f.applies?.(data) ?? true);
}

export { REPORT_STATS } from './report-stats.js';
