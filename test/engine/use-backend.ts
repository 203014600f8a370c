// Switch the engine to a backend by name for a test across backends; native only where the addon is built.
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../src/engine/index.js';

/** Whether the backend is now active: false (with the reason printed) when native cannot load here. */
export async function useBackend(name: 'cpu' | 'wasm' | 'native'): Promise<boolean> {
  if (name === 'native') {
    const { registerNativeBackend } = await import('../../src/engine/backends/native/register.js');
    const load = await registerNativeBackend(2);
    if (!load.ok) {
      console.warn(`native not available: skipped (${load.reason})`);
      return false;
    }
  } else await initEngine({ backend: name, threads: 2, quiet: true });
  await tf.setBackend(name);
  return true;
}
