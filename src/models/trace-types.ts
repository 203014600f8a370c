// Plain data a traced network yields: every parameter it owns and every op it ran, with shapes.
// The cost analyser (src/costs) counts params, MACs and activation memory from these records.

/** How a parameter starts: a constant fill, or a fan-scaled random draw. */
export type ParamInit =
  | { type: 'fill'; value: number }
  | { type: 'random'; kind: 'he' | 'glorot' | 'lecun'; gain: number; fanIn: number; fanOut: number };

export interface ParamSpec {
  name: string; // e.g. stage2.block3.bn1.gamma
  shape: number[];
  trainable: boolean;
  layer: string; // owning layer, e.g. stage2.block3.bn1
  depthIndex: number; // depth index of the nearest weight-bearing layer at or before it
  init: ParamInit;
}

export type OpType =
  | 'input'
  | 'conv'
  | 'dense'
  | 'norm'
  | 'act'
  | 'add'
  | 'multiply'
  | 'scale'
  | 'bias'
  | 'shortcut'
  | 'pool'
  | 'flatten'
  | 'dropout';

/**
 * One op as it ran. Shapes include the batch dimension (the trace's `batch`, 1 by default).
 * `macs` is counted only for conv and dense, the unambiguous part: conv = outH*outW*outC*k*k*inC
 * per example, dense = in*out per example, both times the batch; biases, norms, activations,
 * additions and pooling are 0 here, and the analyzer applies its own convention to them from
 * their shapes (`attrs` carries kernel, stride, pool size, norm/activation kind).
 */
export interface OpRecord {
  name: string; // layer name for weight-bearing and named ops; `<scope>#<type><n>` for anonymous ones
  type: OpType;
  inShapes: number[][];
  /** Index in Trace.ops of the op that produced each input (the input op is 0): the dataflow graph. */
  inputs: number[];
  outShape: number[];
  /** Parameters this op owns (all, and trainable only). */
  params: number;
  trainableParams: number;
  depthIndex: number;
  macs: number;
  attrs: Record<string, string | number | boolean>;
}

export interface LayerSpec {
  name: string;
  kind: 'conv' | 'dense' | 'shortcut';
  depthIndex: number;
  kernel: string;
}

export interface Trace {
  ops: OpRecord[];
  params: ParamSpec[];
  layers: LayerSpec[];
  outputShape: number[];
}
