import type { TimestampGap } from './types.js';

/** A jump of more than this many sample periods between two timestamped lines is a gap (one lost line is 2). */
export const GAP_PERIODS = 1.5;

/**
 * Follows the `t_us` timestamps of one csv stream. A step back means the sender restarted its clock; at a known
 * sample rate a step of more than GAP_PERIODS periods also means lines were lost. Either way the samples on
 * both sides must not share a window, so the decoder reports a gap between them. A line without a timestamp
 * forgets the last one (nothing to compare with).
 */
export class TimestampGaps {
  /** Infinity without a sample rate: only a step back is a gap. */
  private readonly periodUs: number;
  private lastUs: number | undefined;

  constructor(
    sampleRate: number | undefined,
    private readonly sensorId: number,
  ) {
    this.periodUs = sampleRate === undefined ? Number.POSITIVE_INFINITY : 1e6 / sampleRate;
  }

  /** Records the next line's timestamp (undefined: the line has none); returns the gap before it, if any. */
  next(timestampUs: number | undefined): TimestampGap | undefined {
    const last = this.lastUs;
    this.lastUs = timestampUs;
    if (last === undefined || timestampUs === undefined) return undefined;
    const step = timestampUs - last;
    const expectedUs = Number.isFinite(this.periodUs) ? Math.round(last + this.periodUs) : last;
    const base = { type: 'gap', sensorId: this.sensorId, expectedUs, receivedUs: timestampUs } as const;
    if (step < 0) return { ...base, missingSamples: 0, reset: true };
    if (step <= GAP_PERIODS * this.periodUs) return undefined;
    return { ...base, missingSamples: Math.max(1, Math.round(step / this.periodUs) - 1) };
  }
}
