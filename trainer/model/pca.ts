import { ThrumError } from '../../shared/errors.js';
import type { DenseWeights } from './dense.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface PcaModel {
  /** Encoder (x - mean)·V and decoder z·Vᵀ + mean as two linear dense layers: the exporter's input. */
  layers: DenseWeights[];
  /** Share of the training variance the kept components explain, in [0, 1]. */
  explained: number;
}

/**
 * A linear autoencoder fitted in closed form: the top `components` principal axes of the training rows.
 * For a given bottleneck it has the lowest training reconstruction error any linear encoder/decoder can reach,
 * needs no epochs or seed (same data, same model, on any backend), and fits in milliseconds: the model for
 * small training sets, where a nonlinear autoencoder's result depends on its initialization.
 */
export function fitPca(rows: Float32Array, size: number, components: number): PcaModel {
  const n = rows.length / size;
  if (!(Number.isInteger(components) && components >= 1 && components < size)) {
    throw new ThrumError(
      'BAD_USAGE',
      `--bottleneck ${components} for --model pca must be between 1 and ${size - 1} (the window has ${size} feature values)`,
    );
  }
  if (n < 2) throw new ThrumError('BAD_DATA', `pca needs at least 2 training windows, got ${n}`);
  const mean = new Float64Array(size);
  for (let r = 0; r < n; r++) for (let j = 0; j < size; j++) mean[j] += rows[r * size + j];
  for (let j = 0; j < size; j++) mean[j] /= n;
  const cov = new Float64Array(size * size);
  const centred = new Float64Array(size);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < size; j++) centred[j] = rows[r * size + j] - mean[j];
    for (let i = 0; i < size; i++) {
      const ci = centred[i];
      for (let j = i; j < size; j++) cov[i * size + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < size; i++) {
    for (let j = i; j < size; j++) {
      cov[i * size + j] /= n;
      cov[j * size + i] = cov[i * size + j];
    }
  }
  const { values, vectors } = symmetricEigen(cov, size);
  const kernel = new Float32Array(size * components);
  for (let i = 0; i < size; i++) {
    for (let c = 0; c < components; c++) kernel[i * components + c] = vectors[i * size + c];
  }
  const encBias = new Float32Array(components);
  for (let c = 0; c < components; c++) {
    let acc = 0;
    for (let i = 0; i < size; i++) acc -= mean[i] * kernel[i * components + c];
    encBias[c] = acc;
  }
  const decKernel = new Float32Array(components * size);
  for (let c = 0; c < components; c++) {
    for (let i = 0; i < size; i++) decKernel[c * size + i] = kernel[i * components + c];
  }
  const total = values.reduce((s, x) => s + Math.max(0, x), 0);
  const kept = values.subarray(0, components).reduce((s, x) => s + Math.max(0, x), 0);
  return {
    layers: [
      { inSize: size, outSize: components, kernel, bias: encBias, activation: 'linear' },
      {
        inSize: components,
        outSize: size,
        kernel: decKernel,
        bias: Float32Array.from(mean),
        activation: 'linear',
      },
    ],
    explained: total > 0 ? kept / total : 1,
  };
}
