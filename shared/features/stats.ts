import type { KindComputer } from './kind.js';

export const STATS_LABELS = ['rms', 'peak', 'crest', 'kurtosis'] as const;

/**
 * `stats`: four shape statistics of the channel-standardized window after removing the window's own mean
 * (the AC part, as usual for vibration; DC level and drift show up in `raw`). With d_i = x_i − mean(x), L samples:
 *   rms      = sqrt(Σ d_i² / L)
 *   peak     = max |d_i|
 *   crest    = peak / rms                       (sine √2, square wave 1)
 *   kurtosis = (Σ d_i⁴ / L) / (Σ d_i² / L)²     (Pearson, not excess: normal 3, sine 1.5, square wave 1)
 * A flat window (rms ≤ 1e-12·|mean|, i.e. nothing but rounding) yields 0 for all four rather than NaN.
 * Being computed on standardized samples, rms and peak are in units of the channel's training std.
 */
export class StatsFeature implements KindComputer {
  readonly kind = 'stats' as const;
  readonly size = STATS_LABELS.length;
  readonly labels = STATS_LABELS;

  compute(x: Float64Array, out: Float64Array, offset: number): void {
    const n = x.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i];
    const mean = sum / n;
    let s2 = 0;
    let s4 = 0;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - mean;
      const d2 = d * d;
      s2 += d2;
      s4 += d2 * d2;
      const a = Math.abs(d);
      if (a > peak) peak = a;
    }
    const ms = s2 / n;
    const rms = Math.sqrt(ms);
    if (rms === 0 || rms <= 1e-12 * Math.abs(mean)) {
      out.fill(0, offset, offset + 4);
      return;
    }
    out[offset] = rms;
    out[offset + 1] = peak;
    out[offset + 2] = peak / rms;
    out[offset + 3] = s4 / n / (ms * ms);
  }
}
