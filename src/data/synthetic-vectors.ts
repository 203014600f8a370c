// The synthetic vector task for MLPs: a Gaussian mixture in a low-dimensional latent space,
// several clusters per class placed at random (so class regions interleave and no linear
// boundary separates them), lifted into `features` dimensions by a fixed random nonlinear map
// (softsign of a random projection) plus feature noise. The task (centres, map) comes from a
// fixed task seed, the examples from the run seed; arithmetic is +, -, *, / only.
import { makeRng, gauss, permutation, randInt } from './rng.js';
import type { Split } from './types.js';

export const VECTOR_CLASSES = 10;
const VECTOR_TASK_SEED = 20151211;
const LATENT = 6;
const CLUSTERS_PER_CLASS = 4;
const CLUSTER_SPREAD = 0.45; // latent noise around a centre, relative to unit-variance centres

interface VectorTask {
  centres: Float64Array[]; // [class * CLUSTERS_PER_CLASS + k] -> latent point
  projection: Float64Array; // features x LATENT
  bias: Float64Array; // features
}

function makeVectorTask(features: number, numClasses: number): VectorTask {
  const rng = makeRng(VECTOR_TASK_SEED, `vector-task-${features}`);
  const centres = Array.from({ length: numClasses * CLUSTERS_PER_CLASS }, () =>
    Float64Array.from({ length: LATENT }, () => gauss(rng)),
  );
  const scale = 1.5 / Math.sqrt(LATENT);
  const projection = Float64Array.from({ length: features * LATENT }, () => scale * gauss(rng));
  const bias = Float64Array.from({ length: features }, () => 0.3 * gauss(rng));
  return { centres, projection, bias };
}

export interface SyntheticVectorOptions {
  count: number;
  features: number;
  classes: number[];
  seed: number;
  purpose: string;
}

export function generateSyntheticVectors(opts: SyntheticVectorOptions): Split {
  const { count, features, classes, seed } = opts;
  const task = makeVectorTask(features, Math.max(VECTOR_CLASSES, ...classes.map((c) => c + 1)));
  const rng = makeRng(seed, `synthetic-vectors-${opts.purpose}`);
  const x = new Float32Array(count * features);
  const y = new Int32Array(count);
  const order = permutation(rng, count);
  for (let i = 0; i < count; i++) y[order[i]] = classes[i % classes.length];
  const z = new Float64Array(LATENT);
  for (let i = 0; i < count; i++) {
    const centre = task.centres[y[i] * CLUSTERS_PER_CLASS + randInt(rng, CLUSTERS_PER_CLASS)];
    for (let d = 0; d < LATENT; d++) z[d] = centre[d] + CLUSTER_SPREAD * gauss(rng);
    for (let f = 0; f < features; f++) {
      let h = task.bias[f];
      for (let d = 0; d < LATENT; d++) h += task.projection[f * LATENT + d] * z[d];
      x[i * features + f] = h / (1 + Math.abs(h)) + 0.05 * gauss(rng);
    }
  }
  return { x, y, n: count };
}
