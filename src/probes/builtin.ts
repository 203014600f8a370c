// The built-in probes: gradient and weight norms (vanishing/exploding gradients), the update ratio
// (CS231n's ~1e-3 rule of thumb), response statistics (He et al. 2015 Fig. 7) and dead ReLUs.
import * as tf from '@tensorflow/tfjs';
import type { ProbeDefinition, ProbeInputs } from './types.js';

const norm = (t: tf.Tensor): tf.Scalar => tf.sqrt(tf.sum(tf.square(t))) as tf.Scalar;
const perLayer = (values: tf.Scalar[]): tf.Tensor1D => tf.stack(values) as tf.Tensor1D;
const tapped = (inp: ProbeInputs, map: Map<string, tf.Tensor>, f: (t: tf.Tensor) => tf.Scalar): tf.Tensor1D =>
  perLayer(inp.layers.map((l) => (map.has(l.name) ? f(map.get(l.name)!) : tf.scalar(NaN))));

/** In the order layers.csv lists their statistics. */
export const builtinProbes: ProbeDefinition[] = [
  {
    name: 'gradients',
    description: 'L2 norm of each layer kernel gradient, of the kernel, and their ratio',
    stats: ['grad_norm', 'weight_norm', 'grad_weight_ratio'],
    phase: 'before-update',
    compute: (inp) => {
      const g = perLayer(inp.kernelGrads.map(norm));
      const w = perLayer(inp.kernels.map(norm));
      return [g, w, tf.div(g, w)];
    },
  },
  {
    name: 'update',
    description: '||W after the step - W before|| / ||W before|| per layer kernel',
    stats: ['update_ratio'],
    phase: 'after-update',
    compute: (inp) => [
      perLayer(
        inp.kernels.map((w, i) => tf.div(norm(tf.sub(w, inp.kernelsBefore[i])), norm(inp.kernelsBefore[i]))),
      ),
    ],
  },
  {
    name: 'drift',
    description: '||W - W0|| / ||W0|| per layer kernel, W0 = the initialisation or the pretrained weights',
    stats: ['weight_drift'],
    phase: 'after-update',
    compute: (inp) => [
      perLayer(
        inp.kernels.map((w, i) =>
          tf.div(norm(tf.sub(w, inp.kernelsInitial[i])), norm(inp.kernelsInitial[i])),
        ),
      ),
    ],
  },
  {
    name: 'responses',
    description: 'std and mean of each layer response (after its norm, before nonlinearity or addition)',
    stats: ['response_std', 'response_mean'],
    phase: 'before-update',
    needsTaps: true,
    compute: (inp) => [
      tapped(inp, inp.responses, (t) => tf.sqrt(tf.moments(t).variance) as tf.Scalar),
      tapped(inp, inp.responses, (t) => tf.mean(t) as tf.Scalar),
    ],
  },
  {
    name: 'dead-relu',
    description: 'fraction of a layer ReLU units (channels) that are zero for every example of the batch',
    stats: ['dead_fraction'],
    phase: 'before-update',
    needsTaps: true,
    compute: (inp) => [
      tapped(inp, inp.activations, (t) => {
        const units = t.shape[t.shape.length - 1]!;
        const peak = tf.max(tf.reshape(t, [-1, units]), 0);
        return tf.mean(tf.cast(tf.lessEqual(peak, 0), 'float32')) as tf.Scalar;
      }),
    ],
  },
];
