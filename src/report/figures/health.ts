// The trainer's health warnings (vanishing, exploding, dead ReLUs) per run, each at its step and
// layer, plus the step where a run diverged or failed.
import { orderRuns } from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { emptyFigure, type Figure, figureSpec, inRunOrder, legendPick, type TopLevelSpec } from './figure.js';

const KINDS = ['vanishing', 'exploding', 'dead_relu', 'diverged', 'failed'];
const MAX_LABELS = 80;

export function healthEvents(data: ReportData): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  orderRuns(data.runs).forEach((run, order) => {
    for (const w of run.manifest.warnings) {
      events.push({
        run: run.run,
        order,
        kind: w.kind,
        layer: w.layer,
        depthIndex: w.depthIndex,
        step: w.step,
        value: w.value,
        message: w.message,
      });
    }
    const status = run.manifest.status;
    if (status === 'diverged' || status === 'failed') {
      events.push({
        run: run.run,
        order,
        kind: status,
        layer: '',
        depthIndex: null,
        step: run.manifest.statusStep ?? run.manifest.steps,
        value: null,
        message: run.manifest.statusReason ?? status,
      });
    }
  });
  return events;
}

export function health(data: ReportData): TopLevelSpec {
  const heading = 'Health warnings';
  const values = healthEvents(data);
  if (values.length === 0) {
    return emptyFigure(heading, `No health warnings, divergences or failures in ${data.runs.length} run(s).`);
  }
  const affected = new Set(values.map((v) => v.run)).size;
  const labelled = values.length <= MAX_LABELS;
  return figureSpec(
    heading,
    [
      `${values.length} event(s) in ${affected} of ${data.runs.length} run(s); runs without any are not listed · hover for the value and message`,
      labelled ? '' : `layer names omitted beyond ${MAX_LABELS} events (hover a marker for its layer)`,
    ],
    {
      data: { values },
      width: 560,
      height: { step: 24 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1, format: 'd' } },
        y: { ...inRunOrder('run'), axis: { labelLimit: 0 } },
      },
      layer: [
        {
          mark: { type: 'point', filled: true, size: 90 },
          params: legendPick('pickKind', 'kind'),
          encoding: {
            color: {
              field: 'kind',
              type: 'nominal',
              title: 'event',
              scale: { domain: KINDS, range: ['#1f77b4', '#ff7f0e', '#9467bd', '#d62728', '#000000'] },
            },
            shape: {
              field: 'kind',
              type: 'nominal',
              title: 'event',
              scale: { domain: KINDS, range: ['triangle-down', 'triangle-up', 'square', 'cross', 'diamond'] },
            },
            opacity: { condition: { param: 'pickKind', value: 0.9 }, value: 0.1 },
            tooltip: [
              { field: 'run' },
              { field: 'kind', title: 'event' },
              { field: 'layer' },
              { field: 'depthIndex', title: 'depth index' },
              { field: 'step' },
              { field: 'value', format: '.3g' },
              { field: 'message' },
            ],
          },
        },
        // The layer's name beside its marker, so the static page and PNG say where, not only hovering.
        ...(labelled
          ? [
              {
                mark: { type: 'text', align: 'left', dx: 8, fontSize: 10, color: '#444' },
                encoding: { text: { field: 'layer', type: 'nominal' } },
              },
            ]
          : []),
      ],
    },
  );
}

export const figure: Figure = { id: 'health', title: 'Health', reads: [], build: health };
