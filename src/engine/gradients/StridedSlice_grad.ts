// Gradient of StridedSlice (tfjs-core has none, on any backend): scatter dy back to the input
// positions the slice read. Registered for every backend (gradients are backend-independent).
import * as tf from '@tensorflow/tfjs';

export const stridedSliceGradConfig: tf.GradConfig = {
  kernelName: tf.StridedSlice,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const a = attrs as unknown as tf.StridedSliceAttrs;
    const info = tf.slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    const shape = info.finalShapeSparse;
    const xStrides = tf.util.computeStrides(x.shape);
    const size = shape.reduce((p, d) => p * d, 1);
    // Flat input index of every output element, walking the output in row-major order.
    const indices = new Int32Array(size);
    const loc = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < size; i++) {
      let flat = 0;
      for (let d = 0; d < shape.length; d++) {
        flat += (info.begin[d] + loc[d] * info.strides[d]) * (d < xStrides.length ? xStrides[d] : 1);
      }
      indices[i] = flat;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++loc[d] < shape[d]) break;
        loc[d] = 0;
      }
    }
    const dyTensor = Array.isArray(dy) ? dy[0] : dy;
    return {
      x: () =>
        tf.tidy(() =>
          tf.reshape(
            tf.scatterND(tf.tensor2d(indices, [size, 1], 'int32'), tf.reshape(dyTensor, [size]), [x.size]),
            x.shape,
          ),
        ),
    };
  },
};
