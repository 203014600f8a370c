// Seeded selections of examples: class filters, caps, validation hold-out and label budgets.
import { DataError } from './errors.js';
import { type Rng, permutation } from './rng.js';
import { exampleSize, type Split } from './types.js';

/** The examples at `indices`, in that order. */
export function take(split: Split, indices: ArrayLike<number>, inputShape: readonly number[]): Split {
  const size = exampleSize(inputShape);
  const n = indices.length;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = indices[i];
    x.set(split.x.subarray(j * size, (j + 1) * size), i * size);
    y[i] = split.y[j];
  }
  return { x, y, n };
}

/** Keeps only the listed labels, relabelled 0..k-1 in the order given. */
export function filterClasses(split: Split, classes: number[], inputShape: readonly number[]): Split {
  const relabel = new Map(classes.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < split.n; i++) if (relabel.has(split.y[i])) keep.push(i);
  const out = take(split, keep, inputShape);
  for (let i = 0; i < out.n; i++) out.y[i] = relabel.get(out.y[i])!;
  return out;
}

/** Indices of each class, in a seeded random order. Prefixes of these lists nest, so a smaller
 *  budget under the same seed picks a subset of a larger one. */
function shuffledByClass(y: Int32Array, numClasses: number, rng: Rng): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  const order = permutation(rng, y.length);
  for (const i of order) byClass[y[i]].push(i);
  return byClass;
}

/** A seeded random subset of `count` examples (keeps the original order of the survivors). */
export function cap(split: Split, count: number, rng: Rng, inputShape: readonly number[]): Split {
  if (count >= split.n) return split;
  const chosen = permutation(rng, split.n).subarray(0, count).sort();
  return take(split, chosen, inputShape);
}

/** Holds out round(fraction * n) examples, stratified by class: [rest, held-out]. */
export function holdOut(
  split: Split,
  fraction: number,
  numClasses: number,
  rng: Rng,
  inputShape: readonly number[],
): [Split, Split] {
  const byClass = shuffledByClass(split.y, numClasses, rng);
  const total = Math.round(fraction * split.n);
  const held: number[] = [];
  // Per class floor(share), then the remainder to the classes with the largest leftovers.
  const quotas = byClass.map((ix) => (ix.length * total) / split.n);
  const counts = quotas.map(Math.floor);
  const rest = quotas.map((q, c) => [q - counts[c], c]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; counts.reduce((a, b) => a + b, 0) < total; k++) counts[rest[k][1]]++;
  byClass.forEach((ix, c) => held.push(...ix.slice(0, counts[c])));
  const heldSet = new Set(held);
  const kept: number[] = [];
  for (let i = 0; i < split.n; i++) if (!heldSet.has(i)) kept.push(i);
  held.sort((a, b) => a - b);
  return [take(split, kept, inputShape), take(split, held, inputShape)];
}

/** Exactly `perClass` examples of every class, seeded; a class with fewer is an error. */
export function labelBudget(
  split: Split,
  perClass: number,
  numClasses: number,
  rng: Rng,
  inputShape: readonly number[],
): Split {
  const byClass = shuffledByClass(split.y, numClasses, rng);
  const chosen: number[] = [];
  byClass.forEach((ix, c) => {
    if (ix.length < perClass) {
      throw new DataError(
        undefined,
        `data.labelsPerClass is ${perClass} but class ${c} has only ${ix.length} training examples`,
      );
    }
    chosen.push(...ix.slice(0, perClass));
  });
  chosen.sort((a, b) => a - b);
  return take(split, chosen, inputShape);
}

/** data.classes against the labels a dataset has: each exists, none twice, at least two. */
export function checkClasses(classes: number[], numClasses: number, name: string): void {
  const seen = new Set<number>();
  for (const c of classes) {
    if (c >= numClasses)
      throw new DataError(
        undefined,
        `data.classes: label ${c} does not exist in ${name} (labels 0..${numClasses - 1})`,
      );
    if (seen.has(c)) throw new DataError(undefined, `data.classes: label ${c} is listed twice`);
    seen.add(c);
  }
  if (classes.length < 2)
    throw new DataError(undefined, `data.classes needs at least 2 labels, got [${classes.join(', ')}]`);
}
