// The in-memory form of a dataset: flat typed arrays, examples laid out one after another
// (NHWC for images, [features] for vectors). The trainer turns batches into tensors itself.

export interface Split {
  x: Float32Array; // n * prod(inputShape) values
  y: Int32Array; // n labels in 0..numClasses-1
  n: number;
}

export interface Dataset {
  name: string;
  inputShape: number[]; // [h, w, c] for images, [features] for vectors
  numClasses: number;
  train: Split;
  /** The evaluation split: the held-out validation part of train when cfg.validation > 0. */
  test: Split;
  evalSplit: 'test' | 'val';
  /** Per-channel statistics of the training split that were used to normalise both splits. */
  stats?: { mean: number[]; std: number[] };
}

export function exampleSize(inputShape: readonly number[]): number {
  return inputShape.reduce((a, b) => a * b, 1);
}
