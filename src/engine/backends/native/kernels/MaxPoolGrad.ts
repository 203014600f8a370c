// MaxPoolGrad on oneDNN, NHWC, no dilation.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from '../kernel.js';
import { backward } from './pool_utils.js';

export const maxPoolGrad: NativeKernel = { kernelName: tf.MaxPoolGrad, run: backward(true) };
