// The one BlockContext implementation. It owns everything that does not depend on whether
// tensors are real: scoped names, parameter specs, depth indices, output shapes and the op log.
// The Arithmetic it is given computes on tensors (tensor-arithmetic.ts) or on shapes alone (shape-arithmetic.ts).
import { UserError } from '../ground/errors.js';
import type {
  Act,
  ActivationKind,
  BlockContext,
  ConvOptions,
  InitKind,
  InitSpec,
  NormKind,
  PoolOptions,
} from '../blocks/types.js';
import type { LayerSpec, OpRecord, OpType, ParamInit, ParamSpec } from './trace-types.js';

/**
 * The default padding of convolutions and pools: 'symmetric' pads floor(dilation·(k-1)/2) on every side
 * (He et al.'s Torch, PyTorch: a stride-2 window centred on the even pixels that option A's shortcut
 * keeps); 'same' is TF's rule, which at stride 2 on an even size pads 0 before and 1 after.
 */
export type PaddingRule = 'symmetric' | 'same';

export interface NetSettings {
  norm: NormKind;
  activation: ActivationKind;
  init: InitKind;
  /** Default 'symmetric'. */
  padding?: PaddingRule;
}

export interface BatchNormParams<P> {
  gamma: P;
  beta: P;
  movingMean: P;
  movingVariance: P;
}

/** The arithmetic behind each context op; `out` is the output shape the context computed. */
export interface Arithmetic<P = unknown> {
  param(spec: ParamSpec): P;
  input(x: Act): Act;
  conv(
    x: Act,
    kernel: P,
    bias: P | null,
    o: { stride: number; padding: 'same' | 'valid' | number; dilation: number },
    out: number[],
  ): Act;
  dense(x: Act, kernel: P, bias: P | null, out: number[]): Act;
  batchNorm(x: Act, p: BatchNormParams<P>, layer: string, out: number[]): Act;
  /** ReLU of batchNorm as one op, or null where this arithmetic cannot (then: batchNorm, activation). */
  batchNormRelu?(x: Act, p: BatchNormParams<P>, layer: string, out: number[]): Act | null;
  layerNorm(x: Act, gamma: P, beta: P, out: number[]): Act;
  activation(x: Act, kind: ActivationKind, out: number[]): Act;
  add(a: Act, b: Act, out: number[]): Act;
  multiply(x: Act, factor: number, out: number[]): Act;
  scale(x: Act, s: P, out: number[]): Act;
  bias(x: Act, b: P, out: number[]): Act;
  shortcutA(x: Act, outChannels: number, stride: number, out: number[]): Act;
  pool(
    x: Act,
    kind: 'avg' | 'max',
    size: number,
    stride: number,
    padding: 'same' | 'valid' | number,
    out: number[],
  ): Act;
  globalAvgPool(x: Act, out: number[]): Act;
  flatten(x: Act, out: number[]): Act;
  /** `scope` is the path it sits in (classifier, stage2.block1); a frozen stage's dropout is off. */
  dropout(x: Act, rate: number, out: number[], scope: string): Act;
  /** Drops whole examples with probability `rate` and scales the kept ones by 1/(1-rate) (training only). */
  dropPath(x: Act, rate: number, out: number[], scope: string): Act;
  /** True in a training step; false in evaluation, analyses and shape tracing. */
  readonly training: boolean;
  /** A uniform draw in [0, 1) for `key` in this pass: the same for the same step and key (resume-safe). */
  random(key: string): number;
  tap(kind: 'response' | 'activation', layer: string, x: Act): void;
}

/** Bookkeeping shared by every scope of one pass. */
export class NetState {
  depth = 0;
  readonly layers: LayerSpec[] = [];
  readonly params: ParamSpec[] = [];
  readonly ops: OpRecord[] = [];
  /** Which op produced each activation (op index), for OpRecord.inputs. */
  readonly producers = new WeakMap<Act, number>();
  private readonly names = new Set<string>();
  private readonly anonymous = new Map<string, number>();

  constructor(readonly record: boolean) {}

  claim(name: string, what: string): void {
    if (this.names.has(name)) {
      throw new UserError(`${what} "${name}" is created twice in one network; each layer needs its own name`);
    }
    this.names.add(name);
  }

  anonymousName(path: string, type: string): string {
    const key = `${path}#${type}`;
    const n = (this.anonymous.get(key) ?? 0) + 1;
    this.anonymous.set(key, n);
    return `${key}${n}`;
  }

  hasLayer(name: string): boolean {
    return this.layers.some((l) => l.name === name);
  }
}

const BN_MOMENTUM_NOTE = 'moving statistics: momentum 0.9, updated in training mode outside the gradient';

function outSize(
  size: number,
  kernel: number,
  stride: number,
  padding: 'same' | 'valid' | number,
  dilation = 1,
): number {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(size / stride);
  if (padding === 'valid') return Math.floor((size - span) / stride) + 1;
  return Math.floor((size + 2 * padding - span) / stride) + 1;
}

const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

export class NetContext implements BlockContext {
  constructor(
    private readonly arithmetic: Arithmetic,
    private readonly state: NetState,
    private readonly settings: NetSettings,
    readonly path: string = '',
    /** The main-path depth where this scope began: a shortcut in it joins the main path there. */
    private readonly entryDepth: number = state.depth,
  ) {}

  /** On a shortcut path (a scope named shortcut*): its ops sit at the depth its block started from. */
  private get onShortcutPath(): boolean {
    return this.path.split('.').some((segment) => segment.startsWith('shortcut'));
  }

  /** The depth index an op here records: the main path's so far, or its block's start on a shortcut. */
  private get opDepth(): number {
    return this.onShortcutPath ? this.entryDepth : this.state.depth;
  }

  /** The padding a conv or pool gets when it names none: see PaddingRule. */
  private defaultPadding(kernel: number, dilation = 1): 'same' | number {
    return this.settings.padding === 'same' ? 'same' : Math.floor((dilation * (kernel - 1)) / 2);
  }

  get normKind(): NormKind {
    return this.settings.norm;
  }
  get activationKind(): ActivationKind {
    return this.settings.activation;
  }
  get initKind(): InitKind {
    return this.settings.init;
  }

  scope(name: string): BlockContext {
    checkName(name);
    // A shortcut scope starts where its block did, not where the block's main path has got to.
    const entry = name.startsWith('shortcut') ? this.entryDepth : this.state.depth;
    return new NetContext(this.arithmetic, this.state, this.settings, this.full(name), entry);
  }

  /** Feed the network input through the arithmetic (and the op log). */
  input(x: Act): Act {
    this.record('input', 'input', [], x.shape, 0, 0, {});
    return this.emit(this.arithmetic.input(x));
  }

  conv(name: string, x: Act, opts: ConvOptions): Act {
    const { filters, kernel } = opts;
    const stride = opts.stride ?? 1;
    const dilation = opts.dilation ?? 1;
    const padding = opts.padding ?? this.defaultPadding(kernel, dilation);
    positiveInt(filters, `conv "${this.full(name)}" filters`);
    positiveInt(kernel, `conv "${this.full(name)}" kernel`);
    if (x.shape.length === 2) {
      if (stride !== 1)
        throw new UserError(`conv "${this.full(name)}" on vector input needs stride 1, got ${stride}`);
      return this.denseLayer(
        name,
        x,
        filters,
        opts.bias ?? this.settings.norm === 'none',
        opts.init ?? 'default',
        'conv',
      );
    }
    this.expectRank(x, 4, `conv "${this.full(name)}"`);
    const [n, h, w, cin] = x.shape;
    const layer = this.weightLayer(name, 'conv', opts.role);
    const kshape = [kernel, kernel, cin, filters];
    const k = this.param(
      layer,
      'kernel',
      kshape,
      true,
      this.randomInit(opts.init ?? 'default', kernel * kernel * cin, kernel * kernel * filters),
    );
    const useBias = opts.bias ?? this.settings.norm === 'none';
    const b = useBias ? this.param(layer, 'bias', [filters], true, { type: 'fill', value: 0 }) : null;
    const out = [
      n,
      outSize(h, kernel, stride, padding, dilation),
      outSize(w, kernel, stride, padding, dilation),
      filters,
    ];
    if (out[1] < 1 || out[2] < 1)
      throw new UserError(`conv "${layer}": input ${h}x${w} is too small for kernel ${kernel}`);
    const params = product(kshape) + (useBias ? filters : 0);
    this.record(
      layer,
      'conv',
      [x],
      out,
      params,
      params,
      { kernel, stride, padding: String(padding), dilation, groups: 1 },
      out[1] * out[2] * filters * kernel * kernel * cin * n,
    );
    return this.emit(this.arithmetic.conv(x, k, b, { stride, padding, dilation }, out));
  }

  dense(name: string, x: Act, units: number, opts: { bias?: boolean; init?: InitSpec } = {}): Act {
    return this.denseLayer(name, x, units, opts.bias ?? true, opts.init ?? 'default', 'dense');
  }

  private denseLayer(name: string, x: Act, units: number, useBias: boolean, init: InitSpec, op: string): Act {
    positiveInt(units, `${op} "${this.full(name)}" units`);
    this.expectRank(x, 2, `${op} "${this.full(name)}" (flatten first)`);
    const [n, fin] = x.shape;
    const layer = this.weightLayer(name, 'dense');
    const k = this.param(layer, 'kernel', [fin, units], true, this.randomInit(init, fin, units));
    const b = useBias ? this.param(layer, 'bias', [units], true, { type: 'fill', value: 0 }) : null;
    const params = fin * units + (useBias ? units : 0);
    const out = [n, units];
    this.record(layer, 'dense', [x], out, params, params, { units }, fin * units * n);
    return this.emit(this.arithmetic.dense(x, k, b, out));
  }

  norm(name: string, x: Act, opts: { kind?: NormKind; gamma?: number } = {}): Act {
    const kind = opts.kind ?? this.settings.norm;
    if (kind === 'none') return x;
    const { layer, gamma, beta } = this.normLayer(name, x, opts.gamma ?? 1);
    if (kind === 'layer') {
      const c = x.shape[x.shape.length - 1];
      this.record(layer, 'norm', [x], x.shape, 2 * c, 2 * c, { kind });
      return this.emit(this.arithmetic.layerNorm(x, gamma, beta, x.shape));
    }
    const params = this.batchNormStatistics(layer, x, gamma, beta);
    return this.emit(this.arithmetic.batchNorm(x, params, layer, x.shape));
  }

  normAct(name: string, x: Act, opts: { response?: string; tap?: string } = {}): Act {
    const fusable =
      this.settings.norm === 'batch' && this.settings.activation === 'relu' && this.arithmetic.batchNormRelu;
    if (!fusable) return this.respondAndAct(this.norm(name, x), opts);
    const { layer, gamma, beta } = this.normLayer(name, x, 1);
    const params = this.batchNormStatistics(layer, x, gamma, beta);
    // The arithmetic declines while it records responses (the fused op has no pre-activation to show).
    const fused = this.arithmetic.batchNormRelu!(x, params, layer, x.shape);
    if (fused === null) {
      return this.respondAndAct(this.emit(this.arithmetic.batchNorm(x, params, layer, x.shape)), opts);
    }
    this.record(this.anon('act'), 'act', [x], x.shape, 0, 0, { kind: 'relu' });
    return this.emit(fused);
  }

  /** A norm layer's name and its learnt per-channel scale (from `gammaInit`) and shift. */
  private normLayer(
    name: string,
    x: Act,
    gammaInit: number,
  ): { layer: string; gamma: unknown; beta: unknown } {
    const layer = this.full(name);
    checkName(name);
    this.state.claim(layer, 'layer');
    const c = x.shape[x.shape.length - 1];
    const gamma = this.param(layer, 'gamma', [c], true, { type: 'fill', value: gammaInit });
    const beta = this.param(layer, 'beta', [c], true, { type: 'fill', value: 0 });
    return { layer, gamma, beta };
  }

  private batchNormStatistics(
    layer: string,
    x: Act,
    gamma: unknown,
    beta: unknown,
  ): BatchNormParams<unknown> {
    const c = x.shape[x.shape.length - 1];
    const movingMean = this.param(layer, 'moving_mean', [c], false, { type: 'fill', value: 0 });
    const movingVariance = this.param(layer, 'moving_variance', [c], false, { type: 'fill', value: 1 });
    this.record(layer, 'norm', [x], x.shape, 4 * c, 2 * c, { kind: 'batch', note: BN_MOMENTUM_NOTE });
    return { gamma, beta, movingMean, movingVariance };
  }

  private respondAndAct(y: Act, opts: { response?: string; tap?: string }): Act {
    if (opts.response !== undefined) this.tap(opts.response, y);
    return this.act(y, { tap: opts.tap });
  }

  act(x: Act, opts: { kind?: ActivationKind; tap?: string } = {}): Act {
    const kind = opts.kind ?? this.settings.activation;
    this.record(this.anon('act'), 'act', [x], x.shape, 0, 0, { kind });
    const y = this.emit(this.arithmetic.activation(x, kind, x.shape));
    // Only a ReLU output has a meaningful dead fraction (ForwardResult.activations).
    if (opts.tap !== undefined && kind === 'relu')
      this.arithmetic.tap('activation', this.tapLayer(opts.tap), y);
    return y;
  }

  add(a: Act, b: Act): Act {
    if (!sameShape(a.shape, b.shape)) {
      throw new UserError(`add in "${this.path || 'network'}": shapes [${a.shape}] and [${b.shape}] differ`);
    }
    this.record(this.anon('add'), 'add', [a, b], a.shape, 0, 0, {});
    return this.emit(this.arithmetic.add(a, b, a.shape));
  }

  multiply(x: Act, factor: number): Act {
    this.record(this.anon('multiply'), 'multiply', [x], x.shape, 0, 0, { factor });
    return this.emit(this.arithmetic.multiply(x, factor, x.shape));
  }

  scale(name: string, x: Act, opts: { init: number }): Act {
    const layer = this.scalarLayer(name);
    const s = this.param(layer, 'scale', [], true, { type: 'fill', value: opts.init });
    this.record(layer, 'scale', [x], x.shape, 1, 1, {});
    return this.emit(this.arithmetic.scale(x, s, x.shape));
  }

  bias(name: string, x: Act, opts: { init: number }): Act {
    const layer = this.scalarLayer(name);
    const b = this.param(layer, 'bias', [], true, { type: 'fill', value: opts.init });
    this.record(layer, 'bias', [x], x.shape, 1, 1, {});
    return this.emit(this.arithmetic.bias(x, b, x.shape));
  }

  shortcutA(x: Act, outChannels: number, stride: number): Act {
    const c = x.shape[x.shape.length - 1];
    if (outChannels < c) {
      throw new UserError(
        `shortcutA in "${this.path}": cannot shrink ${c} channels to ${outChannels} (use a projection, option B)`,
      );
    }
    let out: number[];
    if (x.shape.length === 2) {
      if (stride !== 1) throw new UserError(`shortcutA in "${this.path}": vector input needs stride 1`);
      out = [x.shape[0], outChannels];
    } else {
      this.expectRank(x, 4, `shortcutA in "${this.path}"`);
      out = [x.shape[0], Math.ceil(x.shape[1] / stride), Math.ceil(x.shape[2] / stride), outChannels];
    }
    this.record(this.anon('shortcut'), 'shortcut', [x], out, 0, 0, { option: 'A', stride });
    return this.emit(this.arithmetic.shortcutA(x, outChannels, stride, out));
  }

  avgPool(x: Act, opts: PoolOptions): Act {
    return this.pool(x, 'avg', opts);
  }

  maxPool(x: Act, opts: PoolOptions): Act {
    return this.pool(x, 'max', opts);
  }

  private pool(x: Act, kind: 'avg' | 'max', opts: PoolOptions): Act {
    this.expectRank(x, 4, `${kind}Pool in "${this.path}"`);
    const stride = opts.stride ?? opts.size;
    const padding = opts.padding ?? this.defaultPadding(opts.size);
    const [n, h, w, c] = x.shape;
    const out = [n, outSize(h, opts.size, stride, padding), outSize(w, opts.size, stride, padding), c];
    if (out[1] < 1 || out[2] < 1)
      throw new UserError(
        `${kind}Pool in "${this.path}": input ${h}x${w} smaller than the window ${opts.size}`,
      );
    this.record(this.anon(`${kind}pool`), 'pool', [x], out, 0, 0, {
      kind,
      size: opts.size,
      stride,
      padding,
    });
    return this.emit(this.arithmetic.pool(x, kind, opts.size, stride, padding, out));
  }

  globalAvgPool(x: Act): Act {
    this.expectRank(x, 4, `globalAvgPool in "${this.path}"`);
    const out = [x.shape[0], x.shape[3]];
    this.record(this.anon('gap'), 'pool', [x], out, 0, 0, {
      kind: 'global-avg',
      size: x.shape[1] * x.shape[2],
    });
    return this.emit(this.arithmetic.globalAvgPool(x, out));
  }

  flatten(x: Act): Act {
    if (x.shape.length === 2) return x;
    const out = [x.shape[0], product(x.shape.slice(1))];
    this.record(this.anon('flatten'), 'flatten', [x], out, 0, 0, {});
    return this.emit(this.arithmetic.flatten(x, out));
  }

  get training(): boolean {
    return this.arithmetic.training;
  }

  random(name: string): number {
    return this.arithmetic.random(this.full(name));
  }

  dropPath(x: Act, rate: number): Act {
    if (!(rate >= 0 && rate < 1))
      throw new UserError(`dropPath in "${this.path}": rate must be in [0, 1), got ${rate}`);
    if (rate === 0) return x;
    this.record(this.anon('droppath'), 'dropout', [x], x.shape, 0, 0, { rate, per: 'example' });
    return this.emit(this.arithmetic.dropPath(x, rate, x.shape, this.path));
  }

  dropout(x: Act, rate: number): Act {
    if (!(rate >= 0 && rate < 1))
      throw new UserError(`dropout in "${this.path}": rate must be in [0, 1), got ${rate}`);
    if (rate === 0) return x;
    this.record(this.anon('dropout'), 'dropout', [x], x.shape, 0, 0, { rate });
    return this.emit(this.arithmetic.dropout(x, rate, x.shape, this.path));
  }

  tap(layer: string, response: Act): void {
    this.arithmetic.tap('response', this.tapLayer(layer), response);
  }

  // --- bookkeeping -------------------------------------------------------------------------

  private full(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  private anon(type: string): string {
    return this.state.anonymousName(this.path, type);
  }

  private tapLayer(name: string): string {
    const layer = this.full(name);
    if (!this.state.hasLayer(layer)) {
      throw new UserError(`tap "${layer}": no conv or dense layer of that name exists before the tap`);
    }
    return layer;
  }

  /**
   * A weight-bearing layer. One on a shortcut (a `shortcut` scope, a name starting with "shortcut",
   * or `role: 'shortcut'`) is kind 'shortcut' and takes the depth index of the main-path layer its
   * block starts from, without advancing it: the same index is the same place on the main path in
   * every block, whichever order a block builds its paths in.
   */
  private weightLayer(name: string, kind: 'conv' | 'dense', role?: 'main' | 'shortcut'): string {
    checkName(name);
    const layer = this.full(name);
    this.state.claim(layer, 'layer');
    const onShortcut =
      role === 'shortcut' ||
      (role === undefined && layer.split('.').some((segment) => segment.startsWith('shortcut')));
    if (!onShortcut) this.state.depth += 1;
    this.state.layers.push({
      name: layer,
      kind: onShortcut ? 'shortcut' : kind,
      depthIndex: onShortcut ? this.entryDepth : this.state.depth,
      kernel: `${layer}.kernel`,
    });
    return layer;
  }

  private scalarLayer(name: string): string {
    checkName(name);
    const layer = this.full(name);
    this.state.claim(layer, 'layer');
    return layer;
  }

  private param(layer: string, key: string, shape: number[], trainable: boolean, init: ParamInit): unknown {
    const spec: ParamSpec = {
      name: `${layer}.${key}`,
      shape,
      trainable,
      layer,
      depthIndex: this.opDepth,
      init,
    };
    this.state.params.push(spec);
    return this.arithmetic.param(spec);
  }

  private randomInit(spec: InitSpec, fanIn: number, fanOut: number): ParamInit {
    if (spec === 'zeros') return { type: 'fill', value: 0 };
    const s = spec === 'default' ? {} : spec;
    return { type: 'random', kind: s.kind ?? this.settings.init, gain: s.gain ?? 1, fanIn, fanOut };
  }

  private record(
    name: string,
    type: OpType,
    inputs: Act[],
    outShape: number[],
    params: number,
    trainableParams: number,
    attrs: OpRecord['attrs'],
    macs = 0,
  ): void {
    if (!this.state.record) return;
    this.state.ops.push({
      name,
      type,
      inShapes: inputs.map((a) => [...a.shape]),
      inputs: inputs.map((a) => this.state.producers.get(a) ?? -1),
      outShape,
      params,
      trainableParams,
      depthIndex: this.opDepth,
      macs,
      attrs,
    });
  }

  /** Note the last recorded op as the producer of `out`, so later ops can name their inputs. */
  private emit(out: Act): Act {
    if (this.state.record) this.state.producers.set(out, this.state.ops.length - 1);
    return out;
  }

  private expectRank(x: Act, rank: number, what: string): void {
    if (x.shape.length !== rank) {
      throw new UserError(`${what} expects a rank-${rank} input, got shape [${x.shape}]`);
    }
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new UserError(
      `layer/scope name ${JSON.stringify(name)} must be letters, digits, '_' or '-' (dots come from scopes)`,
    );
  }
}

function positiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new UserError(`${what} must be a positive integer, got ${v}`);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
