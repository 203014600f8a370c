// GradflowSgdMomentum on webgpu: two dispatches (v', then w' from v') instead of the six of the tf-op form.
import type * as tf from '@tensorflow/tfjs';
import { SGD_MOMENTUM_KERNEL, type SgdMomentumAttrs } from '../../../sgd_momentum.js';
import { ElementwiseProgram, runElementwise } from '../elementwise_program.js';

export const sgdMomentumConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: SGD_MOMENTUM_KERNEL,
  backendName,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { w, v, g } = inputs as { w: tf.TensorInfo; v: tf.TensorInfo; g: tf.TensorInfo };
    const { lr, momentum, weightDecay } = attrs as unknown as SgdMomentumAttrs;
    // The cpu kernel's order of float32 operations: g + decay·w, then momentum·v + that, then w − lr·v'.
    const velocity = new ElementwiseProgram(
      w.shape,
      ['W', 'V', 'G'],
      ['momentum', 'decay'],
      'V[index] * uniforms.momentum + (G[index] + W[index] * uniforms.decay)',
      'sgd_velocity',
    );
    const vOut = runElementwise(backend, velocity, [w, v, g], [momentum, weightDecay]);
    const weight = new ElementwiseProgram(
      w.shape,
      ['W', 'N'],
      ['lr'],
      'W[index] - N[index] * uniforms.lr',
      'sgd_weight',
    );
    const wOut = runElementwise(backend, weight, [w, vOut], [lr]);
    return [wOut, vOut];
  },
});
