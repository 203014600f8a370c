// GradflowSgdMomentum on wasm: one pass over the parameter's arrays on the wasm heap.
import { SGD_MOMENTUM_KERNEL, sgdMomentumUpdate, type SgdMomentumAttrs } from '../../../sgd_momentum.js';
import { elementwiseKernelConfig } from '../elementwise_kernel.js';

export const sgdMomentumConfig = elementwiseKernelConfig(
  SGD_MOMENTUM_KERNEL,
  ['w', 'v', 'g'],
  2,
  ([w, v, g], [wOut, vOut], attrs) =>
    sgdMomentumUpdate(w, v, g, wOut, vOut, attrs as unknown as SgdMomentumAttrs),
);
