// GradflowBatchNormGrad on wasm: dx = dy*a + x*b + k per channel, from two channel sums.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_GRAD_KERNEL } from '../../../batch_norm_training.js';
import { disposeInfos, heapF32, makeF32, runWasmKernel, type TensorInfo } from '../kernel_utils.js';
import { affine, type Args, channelSums, checkInput } from './batch_norm_utils.js';

function batchNormBackward(args: Args): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { dy, x, scale, mean, variance } = args.inputs as Record<string, TensorInfo>;
  const epsilon = args.attrs.epsilon as number;
  const [rows, C] = checkInput(x, BATCH_NORM_GRAD_KERNEL);
  const sumDy = channelSums(backend, dy, rows, C);
  const dyX = runWasmKernel(backend, 'Multiply', { a: dy, b: x }, {});
  const sumDyX = channelSums(backend, dyX, rows, C);
  disposeInfos(backend, dyX);
  const gamma = heapF32(backend, scale);
  const means = heapF32(backend, mean);
  const vars = heapF32(backend, variance);
  // dx = gamma*invStd * (dy - dbeta/n - xhat*dgamma/n) = dy*a + x*b + k per channel.
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  const k = new Float32Array(C);
  const zeros = new Float32Array(C);
  const dGamma = new Float32Array(C);
  const dBeta = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const invStd = 1 / Math.sqrt(vars[c] + epsilon);
    dGamma[c] = (sumDyX[c] - means[c] * sumDy[c]) * invStd;
    dBeta[c] = sumDy[c];
    a[c] = gamma[c] * invStd;
    b[c] = (-a[c] * dGamma[c] * invStd) / rows;
    k[c] = (-a[c] * sumDy[c]) / rows - b[c] * means[c];
  }
  const dyPart = affine(backend, dy, a, k, rows);
  const xPart = affine(backend, x, b, zeros, rows);
  const dx = runWasmKernel(backend, 'Add', { a: dyPart, b: xPart }, {});
  disposeInfos(backend, dyPart, xPart);
  return [dx, makeF32(backend, [C], dGamma), makeF32(backend, [C], dBeta)];
}

export const batchNormGradConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: batchNormBackward as unknown as tf.KernelFunc,
};
