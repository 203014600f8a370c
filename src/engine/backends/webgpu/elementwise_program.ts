// A flat elementwise WGSL program for TF.js's webgpu backend: one thread per element, inputs of the
// output's shape read by flat index, scalar parameters as uniforms. The backend adds the bindings,
// uniforms and the _start entry point around getUserCode (its WebGPUProgram contract).
import type * as tf from '@tensorflow/tfjs';

/** The parts of WebGPUBackend a kernel calls; not in the package's public typings. */
export interface WebgpuBackendLike {
  runWebGPUProgram(
    program: ElementwiseProgram,
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
    uniforms?: { type: 'float32' | 'int32'; data: number[] }[],
  ): tf.TensorInfo;
}

const WORKGROUP = 64;

export class ElementwiseProgram {
  readonly size = true;
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly uniforms: string;
  readonly shaderKey: string;

  /**
   * `expression` is WGSL over `NAME[index]` for each input and `uniforms.name` for each scalar; `key`
   * names the expression for the backend's pipeline cache.
   */
  constructor(
    readonly outputShape: number[],
    readonly variableNames: string[],
    scalars: string[],
    private readonly expression: string,
    key: string,
  ) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const elements = outputShape.reduce((a, b) => a * b, 1);
    // Large tensors spread over a second dispatch dimension: one is capped at 65,535 workgroups.
    const groups = Math.ceil(elements / WORKGROUP);
    const x = Math.min(groups, 65535);
    this.dispatch = [x, Math.ceil(groups / x), 1];
    this.uniforms = scalars.map((s) => `${s} : f32,`).join(' ');
    this.shaderKey = `gradflow_${key}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, ${this.expression});
        }
      }
    `;
  }
}

/** Runs `program` on `inputs` with scalar uniforms in the program's order. */
export function runElementwise(
  backend: unknown,
  program: ElementwiseProgram,
  inputs: tf.TensorInfo[],
  scalars: number[],
): tf.TensorInfo {
  return (backend as WebgpuBackendLike).runWebGPUProgram(
    program,
    inputs,
    'float32',
    scalars.map((value) => ({ type: 'float32', data: [value] })),
  );
}
