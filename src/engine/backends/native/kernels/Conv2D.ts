// Conv2D on oneDNN, NHWC only.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { forward } from './conv_utils.js';

export const conv2D: NativeKernel = { kernelName: tf.Conv2D, run: forward(false, false) };
