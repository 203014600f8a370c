// A seeded, resumable batch iterator: a fresh permutation every epoch, drop-last batches (every
// step sees exactly batchSize examples), optional augmentation. Its state is plain JSON, so a
// checkpoint taken mid-epoch resumes with exactly the batches an uninterrupted run would see.
import { augmentOne } from './augment.js';
import { DataError } from './errors.js';
import { type Rng, type RngState, makeRng, permutation, restoreRng, rngState } from './rng.js';
import { exampleSize, type Split } from './types.js';

export interface IteratorState {
  epoch: number; // epochs completed before the current one
  index: number; // batches already taken from the current epoch
  shuffle: RngState; // the shuffle stream *before* the current epoch's permutation was drawn
  augment: RngState; // the augmentation stream now
}

export interface Batch {
  x: Float32Array;
  y: Int32Array;
  size: number;
  epoch: number;
  index: number; // batch index within the epoch
}

export class BatchIterator {
  readonly batchesPerEpoch: number;
  private readonly exampleSize: number;
  private epoch = 0;
  private index = 0;
  private shuffleRng: Rng;
  private shuffleBefore: RngState;
  private order: Int32Array;
  private readonly augmentRng: Rng;

  constructor(
    private readonly split: Split,
    private readonly inputShape: number[],
    private readonly batchSize: number,
    seed: number,
    private readonly augment: boolean,
    state?: IteratorState,
  ) {
    if (!Number.isInteger(batchSize) || batchSize <= 0)
      throw new DataError(undefined, `batch size must be a positive integer, got ${batchSize}`);
    if (batchSize > split.n) {
      throw new DataError(
        undefined,
        `batch size ${batchSize} exceeds the ${split.n} training examples; lower train.batchSize`,
      );
    }
    if (augment && inputShape.length !== 3) {
      throw new DataError(
        undefined,
        `augmentation needs images [h, w, c], but the input shape is [${inputShape.join(', ')}]`,
      );
    }
    this.exampleSize = exampleSize(inputShape);
    this.batchesPerEpoch = Math.floor(split.n / batchSize);
    this.shuffleRng = state ? restoreRng(state.shuffle) : makeRng(seed, 'batches-shuffle');
    this.augmentRng = state ? restoreRng(state.augment) : makeRng(seed, 'batches-augment');
    this.shuffleBefore = rngState(this.shuffleRng);
    this.order = permutation(this.shuffleRng, split.n);
    if (state) {
      if (!Number.isInteger(state.index) || state.index < 0 || state.index > this.batchesPerEpoch) {
        throw new DataError(
          undefined,
          `saved batch position ${state.index} does not fit ${this.batchesPerEpoch} batches per epoch: the checkpoint was taken with other data or batch size`,
        );
      }
      this.epoch = state.epoch;
      this.index = state.index;
    }
  }

  static restore(
    split: Split,
    inputShape: number[],
    batchSize: number,
    state: IteratorState,
    augment: boolean,
  ): BatchIterator {
    return new BatchIterator(split, inputShape, batchSize, 0, augment, state);
  }

  get state(): IteratorState {
    return {
      epoch: this.epoch,
      index: this.index,
      shuffle: { ...this.shuffleBefore },
      augment: rngState(this.augmentRng),
    };
  }

  next(): Batch {
    if (this.index === this.batchesPerEpoch) {
      this.epoch++;
      this.index = 0;
      this.shuffleBefore = rngState(this.shuffleRng);
      this.order = permutation(this.shuffleRng, this.split.n);
    }
    const size = this.batchSize;
    const ex = this.exampleSize;
    const x = new Float32Array(size * ex);
    const y = new Int32Array(size);
    const start = this.index * size;
    for (let i = 0; i < size; i++) {
      const j = this.order[start + i];
      const src = this.split.x.subarray(j * ex, (j + 1) * ex);
      if (this.augment) augmentOne(src, x.subarray(i * ex, (i + 1) * ex), this.inputShape, this.augmentRng);
      else x.set(src, i * ex);
      y[i] = this.split.y[j];
    }
    const batch = { x, y, size, epoch: this.epoch, index: this.index };
    this.index++;
    return batch;
  }
}
