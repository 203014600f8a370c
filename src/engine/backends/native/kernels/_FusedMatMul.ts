// _FusedMatMul (bias, ReLU) on oneDNN; other activations go to the cpu kernel.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { matmul } from './matmul_utils.js';

export const fusedMatMul: NativeKernel = {
  kernelName: tf._FusedMatMul,
  run: (args) => {
    const activation = (args.attrs.activation as string | undefined) ?? 'linear';
    if (activation !== 'linear' && activation !== 'relu') return null;
    return matmul(args, activation === 'relu');
  },
};
