// AvgPool on oneDNN, NHWC, no dilation.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { forward } from './pool_utils.js';

export const avgPool: NativeKernel = { kernelName: tf.AvgPool, run: forward(false) };
