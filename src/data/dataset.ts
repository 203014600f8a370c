// A dataset gradflow can train on (synthetic, mnist, fashion-mnist, cifar10, or a plugin's): what
// it yields per example, which files it reads, and how it loads. The loader, the run's identity
// and the sweep's plan check all ask the definition, so its shape is kept in one place.
import type { DataConfig } from '../config/schema.js';
import type { Split } from './types.js';

export interface RawDataset {
  train: Split;
  test: Split;
  inputShape: number[];
}

export interface DatasetDefinition {
  name: string;
  description: string;
  /** Classes before data.classes keeps some of them (labels 0..classes-1). */
  classes: number;
  /** Per-example input shape the config yields, without reading any data. */
  inputShape(cfg: DataConfig): number[];
  /** The files it reads (their contents identify the data); [] for generated data. */
  files(cfg: DataConfig): string[];
  /**
   * Generated data is made for the kept classes (data.classes, relabelled) and at the requested
   * counts by `load` itself; read data is filtered and capped afterwards.
   */
  generated: boolean;
  load(cfg: DataConfig, seed: number): RawDataset;
}
