import type { KindComputer } from './kind.js';

/** `raw`: the channel-standardized samples themselves, in time order. */
export class RawFeature implements KindComputer {
  readonly kind = 'raw' as const;
  readonly labels: readonly string[];

  constructor(readonly size: number) {
    this.labels = Array.from({ length: size }, (_, i) => `t${i}`);
  }

  compute(x: Float64Array, out: Float64Array, offset: number): void {
    out.set(x, offset);
  }
}
