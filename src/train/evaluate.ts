// Inference-mode loss and error over a whole split (or its first `limit` examples), batched. Reads are
// asynchronous: a GPU backend in Node cannot read synchronously.
import * as tf from '@tensorflow/tfjs';
import type { Split } from '../data/types.js';
import { exampleSize } from '../data/types.js';
import type { Model } from '../models/types.js';
import { lossAndError } from './step.js';

export async function evaluate(
  model: Model,
  split: Split,
  batchSize: number,
  limit = Infinity,
): Promise<{ loss: number; error: number; n: number }> {
  const n = Math.min(split.n, limit);
  const size = exampleSize(model.inputShape);
  const sums = { loss: 0, error: 0 };
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const pair = tf.tidy(() => {
      const x = tf.tensor(split.x.subarray(start * size, (start + count) * size), [
        count,
        ...model.inputShape,
      ]);
      const y = tf.tensor1d(split.y.subarray(start, start + count), 'int32');
      const r = lossAndError(model.forward(x, { training: false }).logits, y, model.numClasses);
      return tf.stack([r.loss, r.error]);
    });
    const [loss, error] = await pair.data();
    pair.dispose();
    sums.loss += loss * count;
    sums.error += error * count;
  }
  return { loss: sums.loss / n, error: sums.error / n, n };
}
