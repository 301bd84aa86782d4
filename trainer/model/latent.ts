import { type DenseWeights, forwardDense } from './dense.js';

/**
 * Bottleneck codes of row-major [rows, inputSize] feature rows, through the encoder half of the model (a VAE:
 * its mean head, the code the decoder reconstructs from). Row-major [rows, bottleneck width].
 */
export function latentCodes(encoder: DenseWeights[], rows: Float32Array): Float32Array {
  if (encoder.length === 0) throw new RangeError('latentCodes: the encoder has no layers');
  const inSize = encoder[0].inSize;
  if (rows.length % inSize !== 0)
    throw new RangeError(`latentCodes: ${rows.length} values is not a whole number of ${inSize}-wide rows`);
  if (rows.length === 0) return new Float32Array(0);
  return forwardDense(encoder, rows, rows.length / inSize).at(-1) as Float32Array;
}
