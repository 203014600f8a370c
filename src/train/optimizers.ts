// SGD with momentum and L2 weight decay (PyTorch semantics, He et al.'s recipe) and Adam.
// State lives in named slots so checkpoints store it by parameter name; frozen parameters are
// simply never passed in, so they get no slots.
import * as tf from '@tensorflow/tfjs';
import { hasSgdMomentumKernel, sgdMomentumStep } from '../engine/sgd_momentum.js';
import { readNamedArray, type NamedArray } from '../weights/checkpoint.js';

export interface Optimizer {
  /** Applies one update in place; `grads` maps parameter name to gradient. */
  apply(
    params: Map<string, tf.Variable>,
    grads: Record<string, tf.Tensor>,
    lr: number,
    lrScale?: (name: string) => number,
  ): void;
  slots(): Promise<NamedArray[]>;
  loadSlots(slots: NamedArray[]): void;
  dispose(): void;
}

abstract class SlotOptimizer implements Optimizer {
  protected readonly state = new Map<string, tf.Variable>(); // `${param}/${slot}`
  protected step = 0;

  protected slot(param: string, slot: string, like: tf.Tensor): tf.Variable {
    const key = `${param}/${slot}`;
    let v = this.state.get(key);
    if (!v) {
      v = tf.variable(tf.zerosLike(like), false);
      this.state.set(key, v);
    }
    return v;
  }

  constructor(protected readonly weightDecay: number) {}

  apply(
    params: Map<string, tf.Variable>,
    grads: Record<string, tf.Tensor>,
    lr: number,
    lrScale?: (name: string) => number,
  ): void {
    this.step++;
    for (const [name, grad] of Object.entries(grads)) {
      const w = params.get(name)!;
      const rate = lr * (lrScale?.(name) ?? 1);
      tf.tidy(() => this.update(name, w, grad, rate));
    }
  }

  /** The gradient with L2 weight decay folded in, as PyTorch's SGD and Adam do. */
  protected decayed(w: tf.Tensor, grad: tf.Tensor): tf.Tensor {
    return this.weightDecay > 0 ? tf.add(grad, tf.mul(w, this.weightDecay)) : grad;
  }

  /** One parameter's update inside a tidy scope: `grad` without weight decay, `rate` with the lr scale. */
  protected abstract update(name: string, w: tf.Variable, grad: tf.Tensor, rate: number): void;

  async slots(): Promise<NamedArray[]> {
    const out: NamedArray[] = [{ name: '#step', shape: [1], data: Float32Array.of(this.step) }];
    for (const [name, v] of this.state) out.push(await readNamedArray(name, v));
    return out;
  }

  loadSlots(slots: NamedArray[]): void {
    for (const s of slots) {
      if (s.name === '#step') {
        this.step = s.data[0];
        continue;
      }
      this.state.get(s.name)?.dispose();
      this.state.set(s.name, tf.variable(tf.tensor(s.data, s.shape), false));
    }
  }

  dispose(): void {
    for (const v of this.state.values()) v.dispose();
    this.state.clear();
  }
}

export class Sgd extends SlotOptimizer {
  constructor(
    private readonly momentum: number,
    weightDecay: number,
  ) {
    super(weightDecay);
  }

  protected update(name: string, w: tf.Variable, grad: tf.Tensor, rate: number): void {
    if (this.momentum > 0 && w.dtype === 'float32' && hasSgdMomentumKernel()) {
      // One fused kernel where the backend has it; the same bits as the tf ops below.
      const v = this.slot(name, 'momentum', w);
      const [nw, nv] = sgdMomentumStep(w, v, grad, {
        lr: rate,
        momentum: this.momentum,
        weightDecay: this.weightDecay,
      });
      v.assign(nv);
      w.assign(nw);
      return;
    }
    const g = this.decayed(w, grad);
    if (this.momentum > 0) {
      const v = this.slot(name, 'momentum', w);
      const nv = tf.add(tf.mul(v, this.momentum), g);
      v.assign(nv);
      w.assign(tf.sub(w, tf.mul(nv, rate)));
    } else {
      w.assign(tf.sub(w, tf.mul(g, rate)));
    }
  }
}

export class Adam extends SlotOptimizer {
  constructor(
    weightDecay: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    super(weightDecay);
  }

  protected update(name: string, w: tf.Variable, grad: tf.Tensor, rate: number): void {
    const g = this.decayed(w, grad);
    // Bias correction folded into the step size.
    const corrected = (rate * Math.sqrt(1 - this.beta2 ** this.step)) / (1 - this.beta1 ** this.step);
    const m = this.slot(name, 'm', w);
    const v = this.slot(name, 'v', w);
    const nm = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
    const nv = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    m.assign(nm);
    v.assign(nv);
    w.assign(tf.sub(w, tf.div(tf.mul(nm, corrected), tf.add(tf.sqrt(nv), this.eps))));
  }
}

export function makeOptimizer(cfg: {
  optimizer: 'sgd' | 'adam';
  momentum: number;
  weightDecay: number;
}): Optimizer {
  return cfg.optimizer === 'adam' ? new Adam(cfg.weightDecay) : new Sgd(cfg.momentum, cfg.weightDecay);
}
