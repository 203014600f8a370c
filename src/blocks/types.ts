// The contract between a block and the network that runs it. A block sees only `Act` values and
// a `BlockContext`; it never calls TF.js itself. That is what lets the same build code run for
// real (tensors), for initialisation and for analysis (shape-only records: no memory, no time).
import type { z } from 'zod';

/** An activation flowing through the network: a tf.Tensor when running, a shape record when tracing. */
export interface Act {
  readonly shape: number[];
}

export type NormKind = 'batch' | 'layer' | 'none';
export type ActivationKind = 'relu' | 'tanh' | 'sigmoid';
export type InitKind = 'he' | 'glorot' | 'lecun';

/**
 * How a weight is initialised. 'default' follows the model's `init`; `{ gain }` scales it (Fixup's
 * L^(-1/(2m-2))); `{ kind }` overrides the scheme; 'zeros' starts the layer at zero.
 */
export type InitSpec = 'default' | 'zeros' | { kind?: InitKind; gain?: number };

export interface ConvOptions {
  filters: number;
  kernel: number;
  stride?: number; // default 1
  /**
   * Pixels on every side, 'same' (TF's rule) or 'valid'. Default: the model's padding rule, which is
   * floor(dilation·(kernel-1)/2) on every side unless the model says 'same'.
   */
  padding?: 'same' | 'valid' | number;
  /** Add a bias vector. Default: only when the model has no normalisation (norm: none). */
  bias?: boolean;
  init?: InitSpec;
  dilation?: number;
  /**
   * Where the layer sits: 'main' (counted in depth_index) or 'shortcut' (a projection beside the main
   * path, kind 'shortcut' in layers.csv). Default: 'shortcut' inside a `shortcut` scope or for a name
   * starting with "shortcut", else 'main'.
   */
  role?: 'main' | 'shortcut';
}

export interface PoolOptions {
  size: number;
  stride?: number; // default = size
  /** Pixels on every side, 'same' or 'valid'. Default: floor((size-1)/2), as torchvision's ResNet stem pool, or 'same' under the model's 'same' rule. */
  padding?: 'same' | 'valid' | number;
}

/** Scoped builder handed to every block: creates parameters on the first pass, reuses them after. */
export interface BlockContext {
  /** Dotted scope of this context, e.g. 'stage2.block3' ('' at the root). */
  readonly path: string;
  readonly normKind: NormKind;
  readonly activationKind: ActivationKind;
  readonly initKind: InitKind;

  scope(name: string): BlockContext;
  /**
   * Weight-bearing convolution `name` (parameters `name.kernel`, `name.bias`). On vector inputs
   * ([batch, features], the mlp family) it is a dense layer of `filters` units: kernel size is
   * ignored and stride must be 1, so every block also builds fully connected residual nets.
   */
  conv(name: string, x: Act, opts: ConvOptions): Act;
  /** Weight-bearing fully connected layer on [batch, features]. Bias on unless `bias: false`. */
  dense(name: string, x: Act, units: number, opts?: { bias?: boolean; init?: InitSpec }): Act;
  /** The model's normalisation (batch | layer | none), or `kind` to force one. `gamma`: initial scale. */
  norm(name: string, x: Act, opts?: { kind?: NormKind; gamma?: number }): Act;
  /** The model's activation, or `kind`. `tap`: record the output as that layer's post-ReLU activation. */
  act(x: Act, opts?: { kind?: ActivationKind; tap?: string }): Act;
  /**
   * norm(name) then act, the common pair, which a backend may run as one op (batch norm + ReLU). `response`:
   * record the normalised output as that conv's response; `tap`: the activation, as act's tap does.
   */
  normAct(name: string, x: Act, opts?: { response?: string; tap?: string }): Act;
  add(a: Act, b: Act): Act;
  /** Multiply by a constant (not learned). */
  multiply(x: Act, factor: number): Act;
  /** Learnable scalar multiplier `name.scale` (ReZero/SkipInit alpha, Fixup multiplier). */
  scale(name: string, x: Act, opts: { init: number }): Act;
  /** Learnable scalar bias `name.bias` (Fixup). */
  bias(name: string, x: Act, opts: { init: number }): Act;
  /** He et al. 2015 option A: identity, stride-2 subsampling, zero-padded extra channels. */
  shortcutA(x: Act, outChannels: number, stride: number): Act;
  avgPool(x: Act, opts: PoolOptions): Act;
  maxPool(x: Act, opts: PoolOptions): Act;
  globalAvgPool(x: Act): Act;
  flatten(x: Act): Act;
  /** Inverted dropout, active only in training mode. */
  dropout(x: Act, rate: number): Act;
  /**
   * Stochastic depth's drop (Huang et al. 2016): in training, each example's `x` is zeroed with
   * probability `rate` and the others scaled by 1/(1-rate); outside training, `x` unchanged.
   */
  dropPath(x: Act, rate: number): Act;
  /** True in a training step; false in evaluation, lesion, landscape, shatter and shape tracing. */
  readonly training: boolean;
  /**
   * A uniform draw in [0, 1) for `name` (scoped like a layer name) in this forward pass: seeded by the
   * run's seed and step, so a resumed run draws what the uninterrupted one drew; fixed outside training.
   */
  random(name: string): number;
  /** Record `response` as the Fig. 7 response of weight-bearing layer `layer` (after norm, before nonlinearity/addition). */
  tap(layer: string, response: Act): void;
}

export type ShortcutOption = 'A' | 'B' | 'C';

/** What the network tells a block about where it sits. */
export interface BlockArgs {
  /** Filters of the branch; the block outputs filters * expansion channels. */
  filters: number;
  /** 1, or 2 at the first block of a down-sampling stage. */
  stride: number;
  /** He et al. 2015 shortcut option from the model config (a block option may override it). */
  shortcut: ShortcutOption;
  /** 0-based index of this block in the network and the total count (Fixup's L). */
  index: number;
  numBlocks: number;
  /** cfg.blockOptions after validation against the block's `options`. */
  options: Record<string, unknown>;
}

export interface BlockDefinition {
  name: string;
  description: string;
  /** Paper the block comes from (authors, year, title). */
  reference: string;
  /** Has a shortcut: counts as 'residual' in sweeps and reports. */
  residual: boolean;
  /** Output channels = filters * expansion (4 for bottlenecks). Default 1. */
  expansion?: number;
  /** Weighted layers on the main path of one block (2 basic, 3 bottleneck): sets the valid depths. Default 2. */
  layers?: number;
  /**
   * Pre-activation block (He et al. 2016): the network's stem is a bare conv and a final
   * norm + activation follows the last stage.
   */
  preActivation?: boolean;
  /** Start the classifier (head.dense) at zero, as Fixup prescribes. Default false. */
  zeroInitHead?: boolean;
  /** Accepted cfg.blockOptions: a zod schema, or a plain { option: description } map. */
  options?: z.ZodType | Record<string, string>;
  build(x: Act, ctx: BlockContext, args: BlockArgs): Act;
}

export interface RegisteredBlock extends Required<Omit<BlockDefinition, 'options'>> {
  options?: BlockDefinition['options'];
  /** Where it was registered: a plugin file path or 'built-in (src/blocks/…)'. */
  source: string;
}
