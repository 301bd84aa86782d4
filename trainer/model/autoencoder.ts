import * as tf from '@tensorflow/tfjs';
import type { Activation, DenseWeights } from './dense.js';
import type { SeededRandom } from './seeded-random.js';

/** The tfjs-trained kinds; `pca` (pca.ts) is fitted in closed form. */
export type AutoencoderKind = 'ae' | 'vae';
export type ModelKind = AutoencoderKind | 'pca';

interface DenseVars {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
  activation: Activation;
}

/**
 * A dense autoencoder held as raw tf variables (no layers API), so initialization is seeded by our own PRNG
 * and the VAE needs no custom layers. Hidden layers use relu (ORT fuses relu into int8 QGemm); the
 * bottleneck (the VAE's mean and log-variance heads) and the output layer are linear.
 */
export interface Autoencoder {
  kind: AutoencoderKind;
  inputSize: number;
  /** Input to bottleneck, as in the manifest. */
  widths: number[];
  /** Encoder up to and including the bottleneck (for a VAE: its mean head). */
  encoder: DenseVars[];
  /** VAE only: log-variance head, parallel to the mean head. */
  logVar?: DenseVars;
  decoder: DenseVars[];
}

function dense(
  rng: SeededRandom,
  inSize: number,
  outSize: number,
  activation: Activation,
  name: string,
): DenseVars {
  // Glorot uniform, as Keras does by default.
  const limit = Math.sqrt(6 / (inSize + outSize));
  const k = new Float32Array(inSize * outSize);
  for (let i = 0; i < k.length; i++) k[i] = (rng.next() * 2 - 1) * limit;
  return {
    kernel: tf.variable(tf.tensor2d(k, [inSize, outSize]), true, `${name}/kernel`),
    bias: tf.variable(tf.zeros([outSize]), true, `${name}/bias`),
    activation,
  };
}

let instances = 0;

export function createAutoencoder(
  kind: AutoencoderKind,
  inputSize: number,
  widths: number[],
  rng: SeededRandom,
): Autoencoder {
  const id = `ae${instances++}`;
  const sizes = [inputSize, ...widths];
  const last = widths.length - 1;
  const encoder = widths.map((w, i) =>
    dense(rng, sizes[i], w, i === last ? 'linear' : 'relu', `${id}/enc${i}`),
  );
  const logVar = kind === 'vae' ? dense(rng, sizes[last], widths[last], 'linear', `${id}/logvar`) : undefined;
  const back = [...sizes].reverse();
  const decoder = back
    .slice(1)
    .map((w, i) => dense(rng, back[i], w, i === back.length - 2 ? 'linear' : 'relu', `${id}/dec${i}`));
  return { kind, inputSize, widths, encoder, logVar, decoder };
}

function apply(layer: DenseVars, x: tf.Tensor2D): tf.Tensor2D {
  const y = tf.add(tf.matMul(x, layer.kernel), layer.bias) as tf.Tensor2D;
  return layer.activation === 'relu' ? tf.relu(y) : y;
}

function applyAll(layers: DenseVars[], x: tf.Tensor2D): tf.Tensor2D {
  return layers.reduce((h, layer) => apply(layer, h), x);
}

/** The deterministic reconstruction path (a VAE decodes its mean): what the ONNX export computes. */
export function reconstruct(model: Autoencoder, x: tf.Tensor2D): tf.Tensor2D {
  return applyAll(model.decoder, applyAll(model.encoder, x));
}

/**
 * Training loss of one batch. AE: MSE. VAE: MSE + beta * KL(q(z|x) || N(0, I)) / inputSize (the KL is
 * divided by the input size so beta stays comparable to a per-element MSE). `eps` is the VAE's noise.
 */
export function trainingLoss(
  model: Autoencoder,
  input: tf.Tensor2D,
  target: tf.Tensor2D,
  eps?: tf.Tensor2D,
  beta = 1,
): tf.Scalar {
  if (model.kind === 'ae' || !model.logVar || !eps) {
    return tf.losses.meanSquaredError(target, reconstruct(model, input)) as tf.Scalar;
  }
  const hidden = applyAll(model.encoder.slice(0, -1), input);
  const mean = apply(model.encoder[model.encoder.length - 1], hidden);
  const logVar = apply(model.logVar, hidden);
  const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
  const mse = tf.losses.meanSquaredError(target, applyAll(model.decoder, z));
  const kl = tf
    .mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), 1))
    .mean();
  return tf.add(mse, tf.mul(beta / model.inputSize, kl)) as tf.Scalar;
}

export function variablesOf(model: Autoencoder): tf.Variable[] {
  const layers = [...model.encoder, ...(model.logVar ? [model.logVar] : []), ...model.decoder];
  return layers.flatMap((l) => [l.kernel, l.bias]);
}

/** The reconstruction path as plain arrays, for ONNX export and int8 calibration. */
export function inferenceWeights(model: Autoencoder): DenseWeights[] {
  return [...model.encoder, ...model.decoder].map((l) => ({
    inSize: l.kernel.shape[0],
    outSize: l.kernel.shape[1],
    kernel: l.kernel.dataSync().slice() as Float32Array,
    bias: l.bias.dataSync().slice() as Float32Array,
    activation: l.activation,
  }));
}

export function disposeAutoencoder(model: Autoencoder): void {
  for (const v of variablesOf(model)) v.dispose();
}

/** tfjs reconstruction of row-major [rows, inputSize] data (for the export parity check). */
export function reconstructArray(model: Autoencoder, data: Float32Array, batch = 1024): Float32Array {
  const d = model.inputSize;
  const rows = data.length / d;
  const out = new Float32Array(data.length);
  for (let start = 0; start < rows; start += batch) {
    const n = Math.min(batch, rows - start);
    tf.tidy(() => {
      const x = tf.tensor2d(data.subarray(start * d, (start + n) * d), [n, d]);
      out.set(reconstruct(model, x).dataSync(), start * d);
    });
  }
  return out;
}

export function parameterCount(model: Autoencoder): number {
  return variablesOf(model).reduce((sum, v) => sum + v.size, 0);
}
