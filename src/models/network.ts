// Turns a network description (a build function over a BlockContext) into a trace or a Model.
// Building = one shape-mode pass whose parameter hook creates the seeded variables; forward =
// the same build function over real tensors, looking the variables up by name.
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../ground/errors.js';
import type { Act, BlockContext } from '../blocks/types.js';
import { NetContext, NetState, sameShape, type NetSettings } from './context.js';
import { initialValue } from './init.js';
import { ShapeAct, shapeArithmetic } from './shape-arithmetic.js';
import { tensorArithmetic } from './tensor-arithmetic.js';
import type { ParamSpec, Trace } from './trace-types.js';
import type { ForwardOptions, ForwardResult, Model, ParamInfo } from './types.js';

export interface NetworkSpec {
  name: string;
  residual: boolean;
  settings: NetSettings;
  /** Input [batch, ...inputShape] to logits [batch, numClasses] (or any output for sub-networks). */
  build(x: Act, ctx: BlockContext): Act;
}

/** Run the build in shape mode: every op and parameter, with shapes, nothing allocated. */
export function traceNetwork(
  spec: NetworkSpec,
  inputShape: number[],
  batch = 1,
  onParam?: (p: ParamSpec) => unknown,
): Trace {
  const state = new NetState(true);
  const ctx = new NetContext(shapeArithmetic(onParam), state, spec.settings);
  const out = spec.build(ctx.input(new ShapeAct([batch, ...inputShape])), ctx);
  return { ops: state.ops, params: state.params, layers: state.layers, outputShape: out.shape };
}

let nextModelId = 0;

/** A network with real variables, the Model the trainer uses. `outputShape` is checked per example. */
export function instantiate(
  spec: NetworkSpec,
  inputShape: number[],
  numClasses: number,
  seed: number,
): Model {
  // TF.js variable names are global: prefix them so two models can coexist (ParamInfo.name is the stable one).
  const prefix = `gradflow${nextModelId++}/`;
  const variables = new Map<string, tf.Variable>();
  let trace: Trace;
  try {
    trace = traceNetwork(spec, inputShape, 1, (p) => {
      const v = tf.tidy(() => tf.variable(initialValue(p, seed), p.trainable, prefix + p.name));
      variables.set(p.name, v);
      return p;
    });
  } catch (err) {
    for (const v of variables.values()) v.dispose();
    throw err;
  }
  if (!sameShape(trace.outputShape, [1, numClasses])) {
    for (const v of variables.values()) v.dispose();
    throw new UserError(
      `model ${spec.name} outputs shape [${trace.outputShape.slice(1)}] per example, expected [${numClasses}]`,
    );
  }
  const params: ParamInfo[] = trace.params.map((p) => ({
    name: p.name,
    shape: p.shape,
    trainable: p.trainable,
    layer: p.layer,
    depthIndex: p.depthIndex,
    variable: variables.get(p.name)!,
  }));
  return {
    name: spec.name,
    residual: spec.residual,
    inputShape: [...inputShape],
    numClasses,
    params,
    layers: trace.layers.map((l) => ({ ...l })),
    forward(x: tf.Tensor, opts: ForwardOptions): ForwardResult {
      if (!sameShape(x.shape.slice(1), inputShape)) {
        throw new UserError(`model ${spec.name} takes inputs [batch, ${inputShape}], got [${x.shape}]`);
      }
      const arithmetic = tensorArithmetic({
        variables,
        training: opts.training,
        tap: opts.tap ?? false,
        frozenNorms: opts.frozenNorms,
        frozenStages: opts.frozenStages,
        dropoutSeed: opts.dropoutSeed,
      });
      const ctx = new NetContext(arithmetic, new NetState(false), spec.settings);
      const logits = spec.build(ctx.input(x), ctx) as tf.Tensor2D;
      return { logits, responses: arithmetic.responses, activations: arithmetic.activations };
    },
    dispose() {
      for (const v of variables.values()) v.dispose();
      variables.clear();
    },
  };
}
