// Every kernel the native backend runs in C++; all other kernels are the cpu backend's.
import { batchNormTraining, batchNormTrainingGrad, fusedBatchNorm } from './batchNorm.js';
import { conv2D, conv2DBackpropFilter, conv2DBackpropInput, fusedConv2D } from './conv2d.js';
import { binaryKernels, reluGrad, unaryKernels } from './elementwise.js';
import type { NativeKernel } from './kernel.js';
import { batchMatMul, fusedMatMul } from './matmul.js';
import { avgPool, avgPoolGrad, maxPool, maxPoolGrad } from './pool.js';
import { reduceKernels } from './reduce.js';
import { padV2, slice } from './slicePad.js';

export const nativeKernels: NativeKernel[] = [
  conv2D,
  fusedConv2D,
  conv2DBackpropInput,
  conv2DBackpropFilter,
  batchMatMul,
  fusedMatMul,
  maxPool,
  avgPool,
  maxPoolGrad,
  avgPoolGrad,
  batchNormTraining,
  batchNormTrainingGrad,
  fusedBatchNorm,
  ...unaryKernels,
  ...binaryKernels,
  reluGrad,
  ...reduceKernels,
  slice,
  padV2,
];
