// Shape mode: every op returns a shape-only record, so tracing VGG-16 at 224x224 allocates nothing.
// `onParam` lets the initialisation pass create real variables while the activations stay symbolic.
import seedrandom from 'seedrandom';
import type { Act } from '../blocks/types.js';
import type { Arithmetic } from './context.js';
import type { ParamSpec } from './trace-types.js';

export class ShapeAct implements Act {
  constructor(readonly shape: number[]) {}
}

export function shapeArithmetic(onParam: (spec: ParamSpec) => unknown = (spec) => spec): Arithmetic {
  const to = (_x: unknown, out: number[]) => new ShapeAct(out);
  return {
    param: onParam,
    input: (x) => new ShapeAct([...x.shape]),
    conv: (x, _k, _b, _o, out) => to(x, out),
    dense: (x, _k, _b, out) => to(x, out),
    batchNorm: (x, _p, _l, out) => to(x, out),
    layerNorm: (x, _g, _b, out) => to(x, out),
    activation: (x, _k, out) => to(x, out),
    add: (a, _b, out) => to(a, out),
    multiply: (x, _f, out) => to(x, out),
    scale: (x, _s, out) => to(x, out),
    bias: (x, _b, out) => to(x, out),
    shortcutA: (x, _c, _s, out) => to(x, out),
    pool: (x, _k, _z, _s, _p, out) => to(x, out),
    globalAvgPool: (x, out) => to(x, out),
    flatten: (x, out) => to(x, out),
    dropout: (x, _r, out) => to(x, out),
    dropPath: (x, _r, out) => to(x, out),
    training: false,
    random: (key) => seedrandom(`trace:${key}`)(),
    tap: () => {},
  };
}
