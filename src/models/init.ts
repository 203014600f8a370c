// Seeded, deterministic initial values. Each parameter draws from its own seed, derived from the
// model seed and its name, so adding a layer never reshuffles the others. TF.js random ops run
// in JS, so the values are the same on every backend.
import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from './trace-types.js';

/** FNV-1a: a stable 32-bit hash of `${seed}/${name}`. */
export function paramSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}/${name}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * he: normal, std sqrt(2 / fanIn) (He et al. 2015, "Delving Deep into Rectifiers");
 * glorot: uniform, limit sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010);
 * lecun: normal, std sqrt(1 / fanIn) (LeCun et al. 1998). `gain` multiplies the scale.
 */
export function initialValue(spec: ParamSpec, seed: number): tf.Tensor {
  const init = spec.init;
  if (init.type === 'fill') return tf.fill(spec.shape, init.value);
  const s = paramSeed(seed, spec.name);
  if (init.kind === 'glorot') {
    const limit = init.gain * Math.sqrt(6 / (init.fanIn + init.fanOut));
    return tf.randomUniform(spec.shape, -limit, limit, 'float32', s);
  }
  const std = init.gain * Math.sqrt((init.kind === 'he' ? 2 : 1) / init.fanIn);
  return tf.randomNormal(spec.shape, 0, std, 'float32', s);
}
