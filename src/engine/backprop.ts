// Gradients of a scalar with respect to variables, like tf.variableGrads, but freeing memory as the
// backward pass goes, as PyTorch's autograd does: a node's saved tensors are released right after its
// gradient has run, and the gradient flowing into a tensor once that tensor's producer has consumed it.
// tfjs-core keeps both until the whole backward pass ends, so a step's peak held every saved activation
// and every intermediate gradient at once. The tape walk itself is tfjs-core's (same order, same
// accumulation), so the gradients are the same numbers.
import * as tf from '@tensorflow/tfjs';

/** A node of tfjs-core's tape (its tape.ts; the module is not reachable from Node's entry point). */
interface TapeNode {
  kernelName: string;
  inputs: tf.NamedTensorMap;
  outputs: tf.Tensor[];
  gradient?: (dys: tf.Tensor[]) => { [inputName: string]: () => tf.Tensor };
  saved?: tf.Tensor[];
}

/** The parts of tfjs-core's engine the tape needs; stable across 4.x but not in its public typings. */
interface EngineTape {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T;
}

/**
 * Value and gradients of `f` (which must return a scalar) with respect to the trainable variables in
 * `varList`, keyed by variable name; a variable with no path to the value gets no entry (as in
 * tf.variableGrads with a variable list). The caller owns the value and the gradients.
 */
export function variableGradsReleasing(
  f: () => tf.Scalar,
  varList: tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const xs = varList.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error('variableGradsReleasing: no trainable variable in the list');
  const engine = tf.engine() as unknown as EngineTape;
  const nested = engine.state.gradientDepth > 0;
  const value = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy('forward', f),
  );
  if (!(value instanceof tf.Tensor) || value.rank !== 0) {
    throw new Error(`variableGradsReleasing: f must return a scalar tensor, got ${describe(value)}`);
  }
  const tape = engine.state.activeTape ?? [];
  const filtered = nodesFromXsToY(tape, xs, value);
  const grads = engine.tidy('backward', () => {
    const wanted = new Set(xs.map((x) => x.id));
    const accumulated = new Map<number, tf.Tensor>([[value.id, tf.onesLike(value)]]);
    for (let i = filtered.length - 1; i >= 0; i--) {
      const node = filtered[i];
      const dys = node.outputs.map((o) => accumulated.get(o.id) ?? null);
      if (node.gradient == null)
        throw new Error(`Cannot compute gradient: no gradient for ${node.kernelName}`);
      const inputGradients = node.gradient(dys as tf.Tensor[]);
      for (const inputName in node.inputs) {
        const closure = inputGradients[inputName];
        if (closure == null)
          throw new Error(`Cannot backprop through input ${inputName} of ${node.kernelName}`);
        let dx = tf.tidy(closure);
        // A gradient that hands an incoming gradient straight through must not be freed with it below.
        if (dys.includes(dx)) dx = dx.clone();
        checkGradient(node, inputName, dx);
        const id = node.inputs[inputName].id;
        const previous = accumulated.get(id);
        accumulated.set(id, previous ? tf.add(previous, dx) : dx);
        if (previous) {
          previous.dispose();
          dx.dispose();
        }
      }
      // Every consumer of this node's outputs came later on the tape, so their gradients are complete
      // and now used; the saved inputs were only for this node's gradient.
      for (const o of node.outputs) {
        if (wanted.has(o.id)) continue;
        accumulated.get(o.id)?.dispose();
        accumulated.delete(o.id);
      }
      for (const t of node.saved ?? []) t.dispose();
    }
    const named: tf.NamedTensorMap = {};
    for (const x of xs) {
      const g = accumulated.get(x.id);
      if (g) named[x.name] = g;
    }
    return named;
  });
  if (!nested) {
    for (const node of tape) for (const t of node.saved ?? []) t.dispose();
    engine.state.activeTape = null;
  }
  if (Object.keys(grads).length === 0) {
    throw new Error('variableGradsReleasing: no variable in the list is connected to the value of f');
  }
  return { value, grads };
}

/**
 * The tape nodes on a path from some x to y, in tape order, each keeping only the inputs that depend on
 * an x (no gradient is computed for the data or the labels): tfjs-core's getFilteredNodesXToY.
 */
function nodesFromXsToY(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const reachedFromX = new Set<TapeNode>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      reachedFromX.add(node);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set([y.id]);
  const leadsToY = new Set<TapeNode>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((o) => toY.has(o.id))) {
      leadsToY.add(node);
      for (const t of Object.values(node.inputs)) toY.add(t.id);
    }
  }
  const filtered: TapeNode[] = [];
  for (const node of tape) {
    if (!reachedFromX.has(node) || !leadsToY.has(node)) continue;
    const inputs: tf.NamedTensorMap = {};
    for (const [name, t] of Object.entries(node.inputs)) if (fromX.has(t.id)) inputs[name] = t;
    filtered.push({ ...node, inputs });
  }
  return filtered;
}

function checkGradient(node: TapeNode, inputName: string, dx: tf.Tensor): void {
  const x = node.inputs[inputName];
  if (dx.dtype !== 'float32') {
    throw new Error(`Gradient of input ${inputName} of ${node.kernelName} is ${dx.dtype}, not float32`);
  }
  if (!tf.util.arraysEqual(dx.shape, x.shape)) {
    throw new Error(
      `Gradient of input ${inputName} of ${node.kernelName} has shape [${dx.shape}], its input [${x.shape}]`,
    );
  }
}

function describe(v: unknown): string {
  return v instanceof tf.Tensor ? `a rank-${v.rank} tensor` : typeof v;
}
