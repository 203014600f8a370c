// Parameters, multiply-accumulates and memory of a traced network, by stated conventions:
//
// - MACs: one multiply-add = 1 MAC. Only conv and dense (fully connected) layers count:
//   conv = outH*outW*outC*k*k*inC, dense = in*out, per image. Biases, batch norm, activations,
//   additions, pooling and shortcuts are not MACs; they are reported apart as element counts
//   (`elementwise`). This is torchvision's convention (its "GFLOPS" column is MACs: ResNet-50 4.09).
// - FLOPs = 2 x MACs.
// - weight_bytes: every parameter (batch-norm moving statistics included) as fp32.
// - activation_bytes: fp32 bytes at batch B of the distinct tensors a training-mode forward pass
//   keeps for the backward pass: the input of every conv/dense (weight gradient), the input of
//   every norm, the output of every activation, the input of max pooling and of learnable scalar
//   multipliers, and dropout masks. A tensor several ops keep counts once. Not counted: weights,
//   gradients, optimiser state, framework workspace, tensors only the forward pass needs.
import type { Graph, GraphOp } from './graph.js';

export const BYTES_PER_FLOAT = 4;

export interface LayerRow {
  name: string;
  depth_index: number;
  type: string;
  /** Per example, without the batch dimension. */
  output_shape: number[];
  params: number;
  macs: number;
}

export interface ElementwiseCounts {
  /** Elements normalised per image. */
  norm: number;
  /** Elements through an activation per image. */
  activation: number;
  /** Elements added by residual additions per image. */
  add: number;
  /** Window elements read by pooling per image. */
  pool: number;
}

/** A network's totals, by the conventions above (what an analysis reports of them too). */
export interface Totals {
  params: number;
  trainable_params: number;
  /** Per image: conv and dense multiply-adds. */
  macs: number;
  flops: number;
  weight_bytes: number;
  /** At the batch given to countGraph (an analysis' `batch`). */
  activation_bytes: number;
}

export interface Counts extends Totals {
  conv: { layers: number; params: number; macs: number };
  fc: { layers: number; params: number; macs: number };
  elementwise: ElementwiseCounts;
  layers: LayerRow[];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const perExample = (shape: readonly number[]) => size(shape.slice(1));

/** Tensors (by producing op id) the backward pass needs, and extra same-sized buffers (masks). */
function keptForBackward(op: GraphOp): { inputs: boolean; output: boolean; extra: boolean } {
  switch (op.type) {
    case 'conv':
    case 'dense':
    case 'norm':
    case 'scale':
      return { inputs: true, output: false, extra: false };
    case 'act':
      return { inputs: false, output: true, extra: false };
    case 'pool':
      return { inputs: op.attrs.kind === 'max', output: false, extra: false };
    case 'dropout':
      return { inputs: false, output: false, extra: true };
    default:
      // input, add, multiply (by a constant), bias, shortcut, flatten: gradients need no saved values
      return { inputs: false, output: false, extra: false };
  }
}

/** Elements per example of the distinct tensors kept for backward. */
function activationElementsPerExample(graph: Graph): number {
  const kept = new Set<number>();
  let extra = 0;
  for (const op of graph.ops) {
    const k = keptForBackward(op);
    if (k.inputs) for (const i of op.inputs) kept.add(i);
    if (k.output) kept.add(op.id);
    if (k.extra) extra += perExample(op.outShape);
  }
  let elements = extra;
  for (const id of kept) elements += perExample(graph.ops[id].outShape);
  return elements;
}

/** Counts per image; activation memory at `batch` (default: the graph's own batch). */
export function countGraph(graph: Graph, batch = graph.batch): Counts {
  const n = graph.batch;
  const conv = { layers: 0, params: 0, macs: 0 };
  const fc = { layers: 0, params: 0, macs: 0 };
  const elementwise: ElementwiseCounts = { norm: 0, activation: 0, add: 0, pool: 0 };
  const layers: LayerRow[] = [];
  for (const op of graph.ops) {
    if (op.type === 'input') continue;
    const macs = op.macs / n;
    if (op.type === 'conv') {
      conv.layers++;
      conv.params += op.params;
      conv.macs += macs;
    } else if (op.type === 'dense') {
      fc.layers++;
      fc.params += op.params;
      fc.macs += macs;
    } else if (op.type === 'norm') {
      elementwise.norm += perExample(op.outShape);
    } else if (op.type === 'act') {
      elementwise.activation += perExample(op.outShape);
    } else if (op.type === 'add') {
      elementwise.add += perExample(op.outShape);
    } else if (op.type === 'pool') {
      elementwise.pool += poolWindowReads(op);
    }
    layers.push({
      name: op.name,
      depth_index: op.depthIndex,
      type: opLabel(op),
      output_shape: op.outShape.slice(1),
      params: op.params,
      macs,
    });
  }
  const params = graph.params.reduce((s, p) => s + size(p.shape), 0);
  const trainable = graph.params.filter((p) => p.trainable).reduce((s, p) => s + size(p.shape), 0);
  const macs = conv.macs + fc.macs;
  return {
    params,
    trainable_params: trainable,
    macs,
    flops: 2 * macs,
    weight_bytes: BYTES_PER_FLOAT * params,
    activation_bytes: BYTES_PER_FLOAT * batch * activationElementsPerExample(graph),
    conv,
    fc,
    elementwise,
    layers,
  };
}

/** Input elements a pooling op reads per image (a window per output element; all of them for global). */
function poolWindowReads(op: GraphOp): number {
  if (op.attrs.kind === 'global-avg') return perExample(op.inShapes[0]);
  const window = Number(op.attrs.size) ** 2;
  return perExample(op.outShape) * window;
}

/** A readable type for a per-layer row: conv3x3/s2, dense, norm(batch), act(relu), maxpool3x3/s2, ... */
function opLabel(op: GraphOp): string {
  const a = op.attrs;
  switch (op.type) {
    case 'conv':
      return `conv${a.kernel}x${a.kernel}${Number(a.stride) !== 1 ? `/s${a.stride}` : ''}`;
    case 'norm':
    case 'act':
      return `${op.type}(${a.kind})`;
    case 'pool':
      return a.kind === 'global-avg'
        ? 'global-avgpool'
        : `${a.kind}pool${a.size}x${a.size}${Number(a.stride) !== 1 ? `/s${a.stride}` : ''}`;
    case 'shortcut':
      return `shortcut(${a.option})`;
    default:
      return op.type;
  }
}
