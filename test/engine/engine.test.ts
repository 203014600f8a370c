// Backend selection: forced backends that cannot load fail with a BackendError (exit code 2)
// naming the backend and the reason; the wasm backend runs with the thread count asked for,
// checked from inside the wasm module.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import {
  BackendError,
  currentEngine,
  initEngine,
  listBackends,
  resolveThreads,
} from '../../src/engine/index.js';
import { createWasmBackend } from '../../src/engine/backends/wasm/backend.js';
import { exitCodeOf, UserError } from '../../src/ground/errors.js';

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('forcing a backend that cannot load', () => {
  test('tensorflow (tfjs-node without its native library) fails with the reason, exit code 2', async () => {
    const err = await initEngine({ backend: 'tensorflow', quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as BackendError).exitCode).toBe(2);
    expect(exitCodeOf(err)).toBe(2); // what src/cli/main.ts exits with
    expect((err as Error).message).toMatch(/^backend 'tensorflow' is not available: @tensorflow\/tfjs-node /);
    expect(currentEngine()).toBeNull();
  });

  test('tensorflow-gpu without a CUDA GPU fails naming the missing driver', async () => {
    const err = await initEngine({ backend: 'tensorflow-gpu', quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/^backend 'tensorflow-gpu' is not available: /);
  });

  test('native hidden by GRADFLOW_NO_NATIVE fails, via GRADFLOW_BACKEND', async () => {
    process.env.GRADFLOW_NO_NATIVE = '1';
    process.env.GRADFLOW_BACKEND = 'native';
    const err = await initEngine({ quiet: true }).catch((e: unknown) => e);
    expect((err as Error).message).toBe("backend 'native' is not available: hidden by GRADFLOW_NO_NATIVE");
    expect((err as BackendError).exitCode).toBe(2);
  });

  test('an unknown name lists the valid ones and names the flag or variable', async () => {
    await expect(initEngine({ backend: 'tpu', quiet: true })).rejects.toThrow(
      "--backend: unknown backend 'tpu' (choose one of tensorflow-gpu, webgpu, tensorflow, native, wasm, cpu, or auto)",
    );
    process.env.GRADFLOW_BACKEND = 'gpu';
    await expect(initEngine({ quiet: true })).rejects.toThrow(/^GRADFLOW_BACKEND: unknown backend 'gpu'/);
  });

  test('bad thread counts are rejected', () => {
    expect(() => resolveThreads(0)).toThrow('--threads must be a positive integer, got 0');
    process.env.GRADFLOW_THREADS = 'two';
    expect(() => resolveThreads()).toThrow("GRADFLOW_THREADS must be a positive integer, got 'two'");
    process.env.GRADFLOW_THREADS = '3';
    expect(resolveThreads()).toBe(3);
  });
});

describe('the wasm backend', () => {
  test('runs with the thread count asked for, read back from the wasm module', async () => {
    const info = await initEngine({ backend: 'wasm', threads: 2, quiet: true });
    expect(info).toMatchObject({ name: 'wasm', threads: 2, simd: true, passedOver: [] });
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(2);
    // Later calls return the same engine.
    expect(await initEngine({ backend: 'cpu', quiet: true })).toBe(info);
    expect(
      tf
        .sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same'))
        .dataSync()[0],
    ).toBe(100);
  });

  test.each([1, 3])('a separate module built with %d thread(s) reports that many', async (threads) => {
    const handle = await createWasmBackend(threads);
    const wasm = handle.backend.wasm as unknown as { tfjs: { getThreadsCount(): number } };
    expect(wasm.tfjs.getThreadsCount()).toBe(threads);
    expect(handle.build).toBe(threads === 1 ? 'simd' : 'threaded-simd');
    handle.backend.dispose();
  });

  test('gradflow backends data: one selected, reasons for the unavailable', async () => {
    const rows = await listBackends();
    expect(rows.map((r) => r.name)).toEqual([
      'tensorflow-gpu',
      'webgpu',
      'tensorflow',
      'native',
      'wasm',
      'cpu',
    ]);
    expect(rows.filter((r) => r.selected).map((r) => r.name)).toEqual(['wasm']);
    const tfNode = rows.find((r) => r.name === 'tensorflow');
    expect(tfNode).toMatchObject({
      available: false,
      detail: expect.stringMatching(/@tensorflow\/tfjs-node/),
    });
    expect(rows.find((r) => r.name === 'cpu')).toMatchObject({ available: true });
  });
});
