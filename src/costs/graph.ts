// The built network as a dataflow graph: the models' shape-mode op log plus, for each op, which
// ops produced its inputs. The op log alone has shapes but not identity, and activation memory
// needs identity (a ReLU output that the next conv also keeps is one tensor, not two).
//
// Adapter: models/network.ts' traceNetwork hides its engine, so this runs the same build over
// NetContext with a shape engine that notes the Act objects each op consumes and returns.
import type { Act } from '../blocks/types.js';
import { NetContext, NetState, type Arithmetic } from '../models/context.js';
import type { NetworkSpec } from '../models/network.js';
import { ShapeAct, shapeArithmetic } from '../models/shape-arithmetic.js';
import type { OpRecord, ParamSpec } from '../models/trace-types.js';

export interface GraphOp extends OpRecord {
  /** Position in `ops`. */
  id: number;
  /** Ids of the ops whose outputs this op reads, in argument order (the network input is op 0). */
  inputs: number[];
}

export interface Graph {
  ops: GraphOp[];
  params: ParamSpec[];
  outputShape: number[];
  /** Id of the op whose output is the network's output. */
  outputOp: number;
  batch: number;
}

/** Trace `spec` in shape mode at `batch`, recording each op's producers. Allocates no tensors. */
export function traceGraph(spec: NetworkSpec, inputShape: number[], batch = 1): Graph {
  const state = new NetState(true);
  const producer = new Map<Act, number>();
  const inputsOf: number[][] = [];
  const base = shapeArithmetic();
  // Each NetContext op appends its record and then makes exactly one engine call, so the record
  // that the call belongs to is the last one in the log.
  const engine = new Proxy(base, {
    get(target, key, receiver) {
      const fn = Reflect.get(target, key, receiver) as unknown;
      if (typeof fn !== 'function' || key === 'param' || key === 'tap') return fn;
      return (...args: unknown[]) => {
        const id = state.ops.length - 1;
        inputsOf[id] = args
          .filter((a): a is Act => a instanceof ShapeAct)
          .flatMap((a) => (producer.has(a) ? [producer.get(a)!] : []));
        const out = (fn as (...a: unknown[]) => Act).apply(target, args);
        producer.set(out, id);
        return out;
      };
    },
  }) as Arithmetic;
  const ctx = new NetContext(engine, state, spec.settings);
  const out = spec.build(ctx.input(new ShapeAct([batch, ...inputShape])), ctx);
  const ops = state.ops.map((op, id) => ({ ...op, id, inputs: inputsOf[id] ?? [] }));
  return {
    ops,
    params: state.params,
    outputShape: out.shape,
    outputOp: producer.get(out) ?? ops.length - 1,
    batch,
  };
}
