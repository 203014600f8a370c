// BatchMatMul (tf.matMul) on oneDNN.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { matmul } from './matmul_utils.js';

export const batchMatMul: NativeKernel = { kernelName: tf.BatchMatMul, run: (args) => matmul(args, false) };
