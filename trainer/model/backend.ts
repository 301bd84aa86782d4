import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;

async function tryNative(): Promise<boolean> {
  // Optional dependency: absent on most machines. A variable specifier keeps tsc from demanding its types.
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function choose(): Promise<BackendName> {
  if (await tryNative()) return 'tensorflow';
  // setBackend returns false (it does not throw) when the wasm binary fails to load.
  try {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // fall through to cpu
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

/**
 * Native TensorFlow when @tensorflow/tfjs-node loads, else wasm, else the pure-JS cpu backend. Chosen once
 * per process. THRUM_TF_BACKEND=cpu|wasm forces one (e.g. to compare results).
 */
export function selectBackend(): Promise<BackendName> {
  chosen ??= (async () => {
    const forced = process.env.THRUM_TF_BACKEND;
    if (forced === 'cpu' || forced === 'wasm') {
      if (await tf.setBackend(forced)) {
        await tf.ready();
        return forced;
      }
    }
    return choose();
  })();
  return chosen;
}
