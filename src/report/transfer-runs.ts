// Transfer runs as the report sees them: which backbone, how it was adapted, and how
// many target labels per class it had. A run is a transfer run when its config names `transfer`.
import { finalErrors, groupBy } from './aggregate.js';
import type { LayerPoint, ReportData, RunInfo } from './rows.js';

export type TransferMode = 'linear' | 'finetune' | 'finetune-last' | 'scratch';

export interface TransferRun {
  run: RunInfo;
  /** Backbone: "vgg-11", "plain-20", "residual-20". */
  backbone: string;
  /** "linear", "finetune", or "finetune-last-2" (with its stage count). */
  mode: string;
  baseMode: TransferMode;
  /** Labels per class of the target data; null = the whole target training set. */
  labels: number | null;
  testError: number;
  trainError: number;
}

export const MODE_TITLES: Record<TransferMode, string> = {
  linear: 'linear probe (frozen body)',
  finetune: 'full fine-tuning',
  'finetune-last': 'fine-tune last stage(s)',
  scratch: 'from scratch (no pretraining)',
};

export function hasTransferRuns(data: ReportData): boolean {
  return data.runs.some((r) => r.manifest.config?.transfer);
}

export function transferRuns(data: ReportData): TransferRun[] {
  const finals = finalErrors(data.runs, data.metrics);
  const out: TransferRun[] = [];
  for (const run of data.runs) {
    const transfer = run.manifest.config?.transfer;
    if (!transfer) continue;
    const baseMode = (transfer.mode ?? 'finetune') as TransferMode;
    const backbone =
      run.family === 'vgg' ? `vgg-${run.depth}` : `${run.residual ? 'residual' : 'plain'}-${run.depth}`;
    out.push({
      run,
      backbone,
      baseMode,
      mode: baseMode === 'finetune-last' ? `finetune-last-${transfer.stages ?? 1}` : baseMode,
      labels: run.manifest.config.data?.labelsPerClass ?? null,
      testError: finals.get(run.run)?.test ?? NaN,
      trainError: finals.get(run.run)?.train ?? NaN,
    });
  }
  return out;
}

/**
 * One value per backbone x mode x depth index of transfer runs' per-layer points: the layer it
 * stands for, then what `measure` makes of the group's points (given one of the group's runs).
 */
export function layerValues<Measured extends object>(
  points: readonly LayerPoint[],
  runs: ReadonlyMap<string, TransferRun>,
  measure: (points: LayerPoint[], transfer: TransferRun) => Measured,
) {
  const groups = groupBy(points, (p) => {
    const t = runs.get(p.run)!;
    return `${t.backbone}\u0000${t.mode}\u0000${p.depth_index}`;
  });
  return [...groups.values()].map((ps) => {
    const t = runs.get(ps[0].run)!;
    return {
      backbone: t.backbone,
      mode: t.mode,
      index: ps[0].depth_index,
      layer: ps[0].layer,
      ...measure(ps, t),
    };
  });
}
