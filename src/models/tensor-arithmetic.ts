// Real mode: the context's ops on TF.js tensors. Parameters are looked up by name among the
// variables created at build time; nothing here reads data back, so it runs under tf.variableGrads.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { UserError } from '../ground/errors.js';
import type { Arithmetic, BatchNormParams } from './context.js';
import { batchNormReluTrainingKernel, hasBatchNormReluKernel } from '../engine/batch_norm_training.js';
import { hasMovingAveragesKernel, movingAveragesStep } from '../engine/moving_averages.js';
import { BN_EPSILON, batchNormTrain, padChannels, subsample } from './tensor-ops.js';

const BN_MOMENTUM = 0.9;

export interface TensorArithmeticOptions {
  variables: ReadonlyMap<string, tf.Variable>;
  training: boolean;
  tap: boolean;
  frozenNorms?: ReadonlySet<string>;
  frozenStages?: ReadonlySet<string>;
  dropoutSeed?: number;
}

export interface TensorEngine extends Arithmetic<tf.Variable> {
  responses: Map<string, tf.Tensor>;
  activations: Map<string, tf.Tensor>;
}

const T = (x: unknown) => x as tf.Tensor;
const T4 = (x: unknown) => x as tf.Tensor4D;

export function tensorArithmetic(o: TensorArithmeticOptions): TensorEngine {
  const responses = new Map<string, tf.Tensor>();
  const activations = new Map<string, tf.Tensor>();
  let dropoutLayer = 0; // tf.dropout draws from Math.random unless seeded
  const frozen = (layer: string) =>
    o.frozenNorms?.has(layer) || o.frozenNorms?.has(`${layer}.gamma`) || false;

  return {
    responses,
    activations,
    param(spec) {
      const v = o.variables.get(spec.name);
      if (!v)
        throw new UserError(
          `parameter "${spec.name}" was not created when the model was built (the block builds differently on each call?)`,
        );
      return v;
    },
    input: (x) => x,
    conv(x, k, b, { stride, padding, dilation }) {
      const y = tf.conv2d(T4(x), k as tf.Tensor4D, stride, padding, 'NHWC', dilation);
      return b ? y.add(b) : y;
    },
    dense(x, k, b) {
      const y = tf.matMul(T(x) as tf.Tensor2D, k as tf.Tensor2D);
      return b ? y.add(b) : y;
    },
    batchNorm(x, p, layer) {
      if (!o.training || frozen(layer)) {
        return tf.batchNorm(T(x), p.movingMean, p.movingVariance, p.beta, p.gamma, BN_EPSILON);
      }
      const { y, mean, variance } = batchNormTrain(T(x), p.gamma, p.beta, BN_EPSILON);
      updateMovingStatistics(p, mean, variance, T(x));
      return y;
    },
    batchNormRelu(x, p, layer) {
      // Responses need the pre-activation, which the fused op never materialises.
      if (!o.training || o.tap || frozen(layer) || T(x).dtype !== 'float32' || !hasBatchNormReluKernel())
        return null;
      const { y, mean, variance } = batchNormReluTrainingKernel(
        T(x),
        p.gamma as tf.Tensor1D,
        p.beta as tf.Tensor1D,
        BN_EPSILON,
      );
      updateMovingStatistics(p, mean, variance, T(x));
      return y;
    },
    layerNorm(x, gamma, beta) {
      const t = T(x);
      const axes = t.shape.slice(1).map((_, i) => i + 1);
      const { mean, variance } = tf.moments(t, axes, true);
      return t
        .sub(mean)
        .mul(tf.rsqrt(variance.add(BN_EPSILON)))
        .mul(gamma)
        .add(beta);
    },
    activation(x, kind) {
      if (kind === 'relu') return tf.relu(T(x));
      if (kind === 'tanh') return tf.tanh(T(x));
      return tf.sigmoid(T(x));
    },
    add: (a, b) => tf.add(T(a), T(b)),
    multiply: (x, factor) => tf.mul(T(x), factor),
    scale: (x, s) => tf.mul(T(x), s),
    bias: (x, b) => tf.add(T(x), b),
    shortcutA(x, outChannels, stride) {
      const t = T(x);
      return padChannels(t.rank === 4 ? subsample(t as tf.Tensor4D, stride) : t, outChannels);
    },
    pool(x, kind, size, stride, padding) {
      return kind === 'avg'
        ? tf.avgPool(T4(x), size, stride, padding)
        : tf.maxPool(T4(x), size, stride, padding);
    },
    globalAvgPool: (x) => tf.mean(T(x), [1, 2]),
    flatten: (x, out) => tf.reshape(T(x), [-1, out[1]]),
    dropout: (x, rate, _out, scope) =>
      o.training && !o.frozenStages?.has(scope.split('.')[0])
        ? tf.dropout(
            T(x),
            rate,
            undefined,
            o.dropoutSeed === undefined ? undefined : o.dropoutSeed + dropoutLayer++,
          )
        : x,
    dropPath(x, rate, _out, scope) {
      if (!o.training || o.frozenStages?.has(scope.split('.')[0])) return x;
      const t = T(x);
      const keep = 1 - rate;
      // One draw per example: floor(keep + U) is 1 with probability keep.
      const shape = [t.shape[0], ...t.shape.slice(1).map(() => 1)];
      const seed = o.dropoutSeed === undefined ? undefined : o.dropoutSeed + dropoutLayer++;
      const mask = tf.floor(tf.randomUniform(shape, 0, 1, 'float32', seed).add(keep));
      return t.mul(mask.div(keep));
    },
    training: o.training,
    random: (key) => seedrandom(`${o.training ? (o.dropoutSeed ?? 'unseeded') : 'eval'}:${key}`)(),
    tap(kind, layer, x) {
      if (!o.tap) return;
      (kind === 'response' ? responses : activations).set(layer, T(x));
    },
  };
}

/**
 * Moving statistics are state, not part of the loss: update them beside the gradient and free the
 * temporaries here (callers tidy the forward pass, but this may run inside the gradient's tape).
 */
function updateMovingStatistics(
  p: BatchNormParams<tf.Variable>,
  mean: tf.Tensor,
  variance: tf.Tensor,
  x: tf.Tensor,
): void {
  const n = x.size / x.shape[x.rank - 1];
  const unbias = n > 1 ? n / (n - 1) : 1;
  if (hasMovingAveragesKernel() && mean.dtype === 'float32') {
    const [m, v] = movingAveragesStep(p.movingMean, p.movingVariance, mean, variance, {
      momentum: BN_MOMENTUM,
      unbias,
    });
    p.movingMean.assign(m);
    p.movingVariance.assign(v);
    tf.dispose([m, v]);
    return;
  }
  tf.tidy(() => {
    p.movingMean.assign(p.movingMean.mul(BN_MOMENTUM).add(mean.mul(1 - BN_MOMENTUM)));
    const unbiased = n > 1 ? variance.mul(unbias) : variance;
    p.movingVariance.assign(p.movingVariance.mul(BN_MOMENTUM).add(unbiased.mul(1 - BN_MOMENTUM)));
  });
}
