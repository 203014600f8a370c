// GradflowSgdMomentum on the cpu backend and on native (built on it): one pass over the parameter's
// typed arrays.
import type * as tf from '@tensorflow/tfjs';
import { SGD_MOMENTUM_KERNEL, sgdMomentumUpdate, type SgdMomentumAttrs } from '../../../sgd_momentum.js';
import { elementwiseKernelConfig } from '../elementwise_kernel.js';

export const sgdMomentumConfig = (backendName: string): tf.KernelConfig =>
  elementwiseKernelConfig(
    SGD_MOMENTUM_KERNEL,
    backendName,
    ['w', 'v', 'g'],
    2,
    ([w, v, g], [wOut, vOut], attrs) =>
      sgdMomentumUpdate(w, v, g, wOut, vOut, attrs as unknown as SgdMomentumAttrs),
  );
