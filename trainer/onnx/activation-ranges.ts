import { type DenseWeights, forwardDense } from '../model/dense.js';

export interface Range {
  min: number;
  max: number;
}

/**
 * Ranges of every tensor the int8 graph quantizes: [0] the model input, [i] the output of layer i-1. Measured
 * on normal windows, then widened by `headroom` (x4 by default: measured on CWRU and SKAB, x2 still clipped real faults and x8 cost precision on normal windows) because anomalous windows, the ones that
 * matter, drive activations past anything normal data shows; clipping them would distort their scores.
 */
export function activationRanges(
  layers: DenseWeights[],
  inputs: Float32Array,
  rows: number,
  headroom: number,
): Range[] {
  const outputs = forwardDense(layers, inputs, rows);
  const tensors = [inputs, ...outputs.slice(0, -1)];
  return tensors.map((values) => {
    let min = 0;
    let max = 0;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min: min * headroom, max: max * headroom };
  });
}
