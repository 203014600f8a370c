// MaxPool on oneDNN, NHWC, no dilation.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { forward } from './pool_utils.js';

export const maxPool: NativeKernel = { kernelName: tf.MaxPool, run: forward(true) };
