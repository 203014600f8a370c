// Runs the selected probes on one training step and reads every statistic back in one transfer:
// before the update it computes the gradient/response statistics (kept on device) and snapshots the
// kernels; after the update it computes the update statistics, stacks everything and syncs once.
import * as tf from '@tensorflow/tfjs';
import type { LayerInfo } from '../models/types.js';
import type { LayerRow } from '../store/types.js';
import { getProbe, listProbes, type ProbeDefinition, type ProbeInputs } from './registry.js';

export class Prober {
  private readonly probes: ProbeDefinition[];
  private pending: tf.Tensor1D[] = [];
  private before: tf.Tensor[] = [];
  private initial: tf.Tensor[] = [];

  constructor(
    private readonly layers: LayerInfo[],
    names?: string[],
  ) {
    this.probes = names ? names.map(getProbe) : listProbes();
  }

  get needsTaps(): boolean {
    return this.probes.some((p) => p.needsTaps);
  }

  get stats(): string[] {
    return this.probes.flatMap((p) => p.stats);
  }

  /** Before the optimiser step: `kernelGrads` and `kernels` in `layers` order. */
  beforeUpdate(inputs: Omit<ProbeInputs, 'layers' | 'kernelsBefore'>): void {
    this.pending = this.probes
      .filter((p) => p.phase === 'before-update')
      .flatMap((p) => tf.tidy(() => p.compute({ ...inputs, layers: this.layers, kernelsBefore: [] })));
    if (this.probes.some((p) => p.phase === 'after-update'))
      this.before = inputs.kernels.map((k) => tf.clone(k));
    this.initial = inputs.kernelsInitial;
  }

  /** After the optimiser step: returns the tidy rows of this probe step. */
  async afterUpdate(step: number, kernels: tf.Tensor[]): Promise<LayerRow[]> {
    const after = this.probes
      .filter((p) => p.phase === 'after-update')
      .flatMap((p) =>
        tf.tidy(() =>
          p.compute({
            layers: this.layers,
            kernelGrads: [],
            kernels,
            kernelsBefore: this.before,
            kernelsInitial: this.initial,
            responses: new Map(),
            activations: new Map(),
          }),
        ),
      );
    const order = [
      ...this.probes.filter((p) => p.phase === 'before-update'),
      ...this.probes.filter((p) => p.phase === 'after-update'),
    ];
    const stats = order.flatMap((p) => p.stats);
    const all = [...this.pending, ...after];
    const stacked = tf.stack(all);
    const values = (await stacked.data()) as Float32Array; // the one read-back, asynchronous
    tf.dispose([stacked, ...all, ...this.before]);
    this.pending = [];
    this.before = [];
    const rows: LayerRow[] = [];
    const n = this.layers.length;
    stats.forEach((stat, s) => {
      this.layers.forEach((layer, i) => {
        const value = values[s * n + i];
        if (!Number.isNaN(value))
          rows.push({
            step,
            layer: layer.name,
            depth_index: layer.depthIndex,
            kind: layer.kind,
            stat,
            value,
          });
      });
    });
    return rows;
  }
}
