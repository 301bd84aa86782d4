import * as tf from '@tensorflow/tfjs';
import type { InferenceEngine } from '../runtime/scoring/inference-engine.js';
import { type Autoencoder, reconstruct } from '../trainer/model/autoencoder.js';
import { type BackendName, selectBackend } from '../trainer/model/backend.js';
import type { DenseWeights } from '../trainer/model/dense.js';

let engines = 0;

/**
 * The trainer's own tfjs forward pass (trainer/model/autoencoder.ts `reconstruct`, on the backend the trainer
 * picks) over given weights, behind the device's InferenceEngine interface: tensor in, reconstruction out,
 * as `thrum train` computes it.
 */
export async function openTfjsEngine(
  layers: DenseWeights[],
): Promise<InferenceEngine & { backend: BackendName }> {
  const backend = await selectBackend();
  // tfjs variable names are global: each engine gets its own prefix.
  const id = `bench${engines++}`;
  const toVars = (l: DenseWeights, i: number) => ({
    kernel: tf.variable(tf.tensor2d(l.kernel, [l.inSize, l.outSize]), false, `${id}/dense${i}/kernel`),
    bias: tf.variable(tf.tensor1d(l.bias), false, `${id}/dense${i}/bias`),
    activation: l.activation,
  });
  const vars = layers.map(toVars);
  const inputSize = layers[0].inSize;
  const model: Autoencoder = { kind: 'ae', inputSize, widths: [], encoder: vars, decoder: [] };
  return {
    backend,
    inputSize,
    async run(batch, n) {
      return tf.tidy(() => {
        const x = tf.tensor2d(batch.subarray(0, n * inputSize), [n, inputSize]);
        return reconstruct(model, x).dataSync() as Float32Array;
      });
    },
    async close() {
      for (const v of vars) {
        v.kernel.dispose();
        v.bias.dispose();
      }
    },
  };
}
