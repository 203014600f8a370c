// Helpers for gradflow's wasm kernels: call the backend's own kernels on TensorInfos (no engine
// bookkeeping, no tape), free intermediates, and unpack a convolution gradient's arguments. Heap
// views go stale whenever the wasm memory grows, so read them right before use, after the last
// allocation.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;
export type Attrs = Record<string, unknown>;

/** What tfjs passes a kernel function. */
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

export function runWasmKernel(
  backend: BackendWasm,
  name: string,
  inputs: Record<string, TensorInfo> | TensorInfo[],
  attrs: Attrs = {},
): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`gradflow: the wasm backend has no '${name}' kernel`);
  return kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    attrs: attrs as tf.NamedAttrMap,
    backend,
  }) as TensorInfo;
}

export function disposeInfos(backend: BackendWasm, ...infos: (TensorInfo | null | undefined)[]): void {
  for (const t of infos) if (t != null) backend.disposeData(t.dataId);
}

export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A new float32 tensor on the wasm heap filled from `values`. */
export function makeF32(backend: BackendWasm, shape: number[], values: Float32Array): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  heapF32(backend, out).set(values);
  return out;
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return runWasmKernel(backend, 'Transpose', { x }, { perm });
}

export function reshape(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  return runWasmKernel(backend, 'Reshape', { x }, { shape });
}

export function slice(backend: BackendWasm, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  return runWasmKernel(backend, 'Slice', { x }, { begin, size });
}

/** NHWC conv2d with explicit non-negative padding [top, bottom, left, right]. */
export function conv2d(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  pads: [number, number, number, number],
  strides: [number, number] = [1, 1],
  dilations: [number, number] = [1, 1],
): TensorInfo {
  const [t, b, l, r] = pads;
  const pad = [
    [0, 0],
    [t, b],
    [l, r],
    [0, 0],
  ];
  return runWasmKernel(
    backend,
    'Conv2D',
    { x, filter },
    { strides, pad, dilations, dataFormat: 'NHWC', dimRoundingMode: undefined },
  );
}

export function requireNHWC(kernel: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(
      `gradflow wasm ${kernel}: only NHWC is supported, got dataFormat '${String(dataFormat)}'`,
    );
  }
}

/** What the Conv2DBackprop* and DepthwiseConv2dNativeBackprop* kernels get as attributes. */
type ConvGradientAttrs = Pick<tf.DepthwiseConv2dNativeAttrs, 'strides' | 'pad' | 'dimRoundingMode'> &
  Partial<Pick<tf.DepthwiseConv2dNativeAttrs, 'dataFormat' | 'dilations'>> & {
    inputShape?: [number, number, number, number];
    filterShape?: [number, number, number, number];
  };

/**
 * The arguments of a convolution-gradient kernel: the backend, dy, the other input (`x` for the
 * filter gradient, `filter` for the input gradient) and the forward convolution's geometry, whose
 * missing shape the kernel's inputShape or filterShape attribute gives. NHWC only; dilation 1 unless
 * the attributes say otherwise.
 */
export function convGradientArgs<Other extends 'x' | 'filter'>(
  kernel: string,
  args: KernelArgs,
  other: Other,
  depthwise = false,
): { backend: BackendWasm; dy: TensorInfo; info: tf.backend_util.Conv2DInfo } & Record<Other, TensorInfo> {
  const inputs = args.inputs as Record<'dy' | Other, TensorInfo>;
  const attrs = args.attrs as unknown as ConvGradientAttrs;
  requireNHWC(kernel, attrs.dataFormat);
  const inShape = other === 'x' ? inputs[other].shape : attrs.inputShape!;
  const filterShape = other === 'filter' ? inputs[other].shape : attrs.filterShape!;
  const info = tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  return { backend: args.backend as BackendWasm, ...inputs, info };
}
