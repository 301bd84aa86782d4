// CONTRACT STUB — implemented by the windowing/features work. Signatures are the contract.
import type { FeatureGroup, FeatureSpec, Normalization } from './spec.js';

/** Computes the feature vector of one window; the same code runs in the trainer and on the device. */
export class FeatureExtractor {
  readonly size: number = 0;
  readonly groups: FeatureGroup[] = [];
  constructor(
    readonly spec: FeatureSpec,
    readonly normalization?: Normalization,
  ) {
    throw new Error('not implemented');
  }
  /**
   * `window`: spec.window * spec.channels interleaved samples. Writes `size` values into out[offset...],
   * standardized with the normalization when one was given (channel stats before features, feature stats
   * after). Allocates nothing per call.
   */
  extract(_window: Float32Array, _out: Float32Array, _offset = 0): void {}
}

/**
 * Fits normalization on training recordings (each interleaved, spec.channels wide): channel mean/std over all
 * samples, then feature mean/std over all windows (hop from the spec). Zero std is replaced by a floor.
 */
export function fitNormalization(_spec: FeatureSpec, _recordings: Float32Array[]): Normalization {
  throw new Error('not implemented');
}
