import type { FeatureKind } from './spec.js';

/**
 * One feature kind, computed for one channel at a time. Implementations preallocate their scratch in the
 * constructor: compute() runs once per channel per window on the device and must not allocate.
 */
export interface KindComputer {
  readonly kind: FeatureKind;
  /** Values per channel. */
  readonly size: number;
  /** Names of the per-channel values, in order (e.g. `rms`, `b3`). */
  readonly labels: readonly string[];
  /** `x`: one channel's window, already channel-standardized. Writes `size` values at out[offset...]. */
  compute(x: Float64Array, out: Float64Array, offset: number): void;
}
