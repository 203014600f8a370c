// GradflowReluGrad (inputs a = dy, b = x): dy where x > 0, else 0, in one native pass instead of
// tfjs's dy * step(x). The kernel is one entry of the addon's binaryOps table; this is its gradient hook.
import * as tf from '@tensorflow/tfjs';

export const RELU_GRAD_KERNEL = 'GradflowReluGrad';

/**
 * ReLU's gradient as one native pass on the native backend. Gradients are registered per kernel name for
 * every backend, so this wraps tfjs's own ReLU gradient and uses it on any other backend.
 */
export function nativeReluGradConfig(backendName: string): tf.GradConfig {
  const stock = tf.getGradient(tf.Relu);
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== backendName) return stock.gradFunc(dy, saved, attrs);
      const [x] = saved;
      return { x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { a: dy as tf.Tensor, b: x }) as tf.Tensor };
    },
  };
}
