// FusedConv2D (bias, ReLU) on oneDNN, NHWC only; other activations go to the cpu kernel.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { forward } from './conv_utils.js';

export const fusedConv2D: NativeKernel = {
  kernelName: tf.FusedConv2D,
  run: (args) => {
    const activation = (args.attrs.activation as string | undefined) ?? 'linear';
    if (activation !== 'linear' && activation !== 'relu') return null;
    return forward(activation === 'relu', true)(args);
  },
};
