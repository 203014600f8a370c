// What the native batch-norm kernels share: the [n, hw, c] split of the rows, the channel vectors, and the
// forward and gradient calls (plain, or fused with the ReLU after it).
import type * as tf from '@tensorflow/tfjs';
import type { NativeArgs } from '../kernel.js';
import { f32, output, size } from '../tensors.js';

/** [n, hw, c]: rows split in two so oneDNN parallelises over both (any split gives the same statistics). */
export function rowsGeometry(shape: number[]): [number, number, number] {
  const c = shape[shape.length - 1];
  const n = shape.length > 1 ? shape[0] : 1;
  return [n, size(shape.slice(1, -1)), c];
}

export function channelVector(backend: Parameters<typeof f32>[0], t: tf.TensorInfo | undefined, c: number) {
  const values = f32(backend, t);
  return values && values.length === c ? values : null;
}

/** Training-mode batch norm: [y, mean, variance], and with `relu` y = max(0, .) plus the ReLU's mask. */
export function batchNormForward(
  { inputs, backend, attrs, addon }: NativeArgs,
  kernelName: string,
  relu: boolean,
): tf.TensorInfo[] {
  const { x, scale, offset } = inputs;
  const epsilon = attrs.epsilon as number;
  const [n, hw, c] = rowsGeometry(x.shape);
  const xs = f32(backend, x);
  const scales = channelVector(backend, scale, c);
  const offsets = channelVector(backend, offset, c);
  if (!xs || !scales || !offsets) {
    throw new Error(`${kernelName}: x must be float32 and scale/offset float32 vectors of ${c} channels`);
  }
  const y = output(backend, x.shape.slice());
  const mean = output(backend, [c]);
  const variance = output(backend, [c]);
  const geometry = Int32Array.from([n, hw, c, 1, relu ? 1 : 0]);
  const mask = relu ? output(backend, [addon.batchNormWorkspaceSize(geometry, epsilon)]) : null;
  addon.batchNorm(
    xs,
    scales,
    offsets,
    y.values,
    mean.values,
    variance.values,
    geometry,
    epsilon,
    mask?.values ?? null,
  );
  return mask ? [y.info, mean.info, variance.info, mask.info] : [y.info, mean.info, variance.info];
}

/** The gradients to x, scale and offset in one call; `relu` reads the forward pass's mask input. */
export function batchNormBackward(
  { inputs, backend, attrs, addon }: NativeArgs,
  kernelName: string,
  relu: boolean,
): tf.TensorInfo[] {
  const { dy, x, scale, mean, variance, mask } = inputs;
  const [n, hw, c] = rowsGeometry(x.shape);
  const arrays = [
    f32(backend, dy),
    f32(backend, x),
    ...[scale, mean, variance].map((t) => channelVector(backend, t, c)),
    relu ? f32(backend, mask) : new Float32Array(0),
  ];
  if (arrays.some((a) => a === null)) throw new Error(`${kernelName}: inputs must be float32`);
  const [dys, xs, scales, means, variances, masks] = arrays as Float32Array[];
  const dx = output(backend, x.shape.slice());
  const dscale = output(backend, [c]);
  const doffset = output(backend, [c]);
  addon.batchNormBackward(
    dys,
    xs,
    scales,
    means,
    variances,
    dx.values,
    dscale.values,
    doffset.values,
    Int32Array.from([n, hw, c, relu ? 1 : 0]),
    attrs.epsilon as number,
    relu ? masks : null,
  );
  return [dx.info, dscale.info, doffset.info];
}
