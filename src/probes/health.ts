// Turns probe rows into warnings a researcher should see while training: vanishing gradients
// (a layer's gradient norm below 1e-6 of the largest layer's), exploding ones (non-finite, or grown
// 1000x since the previous probe) and dead ReLUs (more than half a layer's units never fire).
// Each (kind, layer) pair is reported once.
import type { HealthWarning, LayerRow } from '../store/types.js';

export const VANISHING_RATIO = 1e-6;
export const EXPLODING_GROWTH = 1e3;
export const DEAD_FRACTION = 0.5;

export class HealthMonitor {
  private readonly seen = new Set<string>();
  private readonly lastGradNorm = new Map<string, number>();
  readonly warnings: HealthWarning[] = [];

  constructor(initial: HealthWarning[] = []) {
    for (const w of initial) {
      this.seen.add(`${w.kind}:${w.layer}`);
      this.warnings.push(w);
    }
  }

  /** Checks one probe step's rows; returns the warnings that are new. */
  check(rows: LayerRow[]): HealthWarning[] {
    const fresh: HealthWarning[] = [];
    const warn = (w: Omit<HealthWarning, 'message'>, message: string) => {
      const key = `${w.kind}:${w.layer}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      const full = { ...w, message };
      this.warnings.push(full);
      fresh.push(full);
    };
    const grads = rows.filter((r) => r.stat === 'grad_norm');
    const largest = Math.max(...grads.filter((r) => Number.isFinite(r.value)).map((r) => r.value), 0);
    for (const r of grads) {
      const at = { layer: r.layer, depthIndex: r.depth_index, step: r.step, value: r.value };
      const previous = this.lastGradNorm.get(r.layer);
      if (!Number.isFinite(r.value)) {
        warn({ kind: 'exploding', ...at }, `step ${r.step}: ${r.layer} has a non-finite gradient norm`);
      } else if (previous !== undefined && previous > 0 && r.value > EXPLODING_GROWTH * previous) {
        warn(
          { kind: 'exploding', ...at },
          `step ${r.step}: ${r.layer} gradient norm grew ${(r.value / previous).toExponential(1)}x since the last probe`,
        );
      } else if (largest > 0 && r.value < VANISHING_RATIO * largest) {
        warn(
          { kind: 'vanishing', ...at },
          `step ${r.step}: ${r.layer} gradient norm ${r.value.toExponential(2)} is below 1e-6 of the largest layer's (${largest.toExponential(2)})`,
        );
      }
      this.lastGradNorm.set(r.layer, r.value);
    }
    for (const r of rows.filter((r) => r.stat === 'dead_fraction' && r.value > DEAD_FRACTION)) {
      warn(
        { kind: 'dead_relu', layer: r.layer, depthIndex: r.depth_index, step: r.step, value: r.value },
        `step ${r.step}: ${(100 * r.value).toFixed(0)}% of ${r.layer}'s ReLU units are dead`,
      );
    }
    return fresh;
  }
}
