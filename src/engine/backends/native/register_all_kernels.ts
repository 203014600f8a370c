// Every kernel the native backend runs in C++, one file each under kernels/ (the elementwise and
// reduce families one file each, one kernel per entry of the addon's op tables); all other kernels
// are the cpu backend's.
import type { NativeAddon } from './addon.js';
import type { NativeKernel } from './kernel.js';
import { avgPool } from './kernels/AvgPool.js';
import { avgPoolGrad } from './kernels/AvgPoolGrad.js';
import { batchMatMul } from './kernels/BatchMatMul.js';
import { binaryKernels } from './kernels/binary.js';
import { conv2D } from './kernels/Conv2D.js';
import { conv2DBackpropFilter } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInput } from './kernels/Conv2DBackpropInput.js';
import { fusedBatchNorm } from './kernels/FusedBatchNorm.js';
import { fusedConv2D } from './kernels/FusedConv2D.js';
import { fusedMatMul } from './kernels/_FusedMatMul.js';
import { batchNormTraining } from './kernels/GradflowBatchNorm.js';
import { batchNormTrainingGrad } from './kernels/GradflowBatchNormGrad.js';
import { batchNormReluTraining } from './kernels/GradflowBatchNormRelu.js';
import { batchNormReluTrainingGrad } from './kernels/GradflowBatchNormReluGrad.js';
import { maxPool } from './kernels/MaxPool.js';
import { maxPoolGrad } from './kernels/MaxPoolGrad.js';
import { padV2 } from './kernels/PadV2.js';
import { reduceKernels } from './kernels/reduce.js';
import { slice } from './kernels/Slice.js';
import { unaryKernels } from './kernels/unary.js';

export const nativeKernels = (addon: NativeAddon): NativeKernel[] => [
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
  batchNormReluTraining,
  batchNormReluTrainingGrad,
  fusedBatchNorm,
  ...unaryKernels(addon),
  ...binaryKernels(addon),
  ...reduceKernels(addon),
  slice,
  padV2,
];
