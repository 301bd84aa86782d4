import type { WindowSet } from '../../../../trainer/report/report-input.js';

/** A WindowSet from plain rows (features, recon, codes) and fp32 scores; int8 scores = fp32 x 1.01. */
export function windowSet(
  features: number[][],
  recon: number[][],
  codes: number[][],
  fp32: number[],
): WindowSet {
  return {
    features: Float32Array.from(features.flat()),
    recon: Float32Array.from(recon.flat()),
    codes: Float32Array.from(codes.flat()),
    scores: { fp32: Float64Array.from(fp32), int8: Float64Array.from(fp32, (s) => s * 1.01) },
  };
}
