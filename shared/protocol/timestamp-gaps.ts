import type { TimestampGap } from './types.js';

/** A jump of more than this many sample periods between two timestamped lines is a gap (one lost line is 2). */
export const GAP_PERIODS = 1.5;

/**
 * Follows the `t_us` timestamps of one csv stream at a known sample rate. A step of more than GAP_PERIODS
 * periods means lines were lost; a step back means the sender restarted its clock. Either way the samples on
 * both sides must not share a window, so the decoder reports a gap between them. A line without a timestamp
 * forgets the last one (nothing to compare with).
 */
export class TimestampGaps {
  private readonly periodUs: number;
  private lastUs: number | undefined;

  constructor(
    sampleRate: number,
    private readonly sensorId: number,
  ) {
    this.periodUs = 1e6 / sampleRate;
  }

  /** Records the next line's timestamp (undefined: the line has none); returns the gap before it, if any. */
  next(timestampUs: number | undefined): TimestampGap | undefined {
    const last = this.lastUs;
    this.lastUs = timestampUs;
    if (last === undefined || timestampUs === undefined) return undefined;
    const step = timestampUs - last;
    const expectedUs = Math.round(last + this.periodUs);
    const base = { type: 'gap', sensorId: this.sensorId, expectedUs, receivedUs: timestampUs } as const;
    if (step < 0) return { ...base, missingSamples: 0, reset: true };
    if (step <= GAP_PERIODS * this.periodUs) return undefined;
    return { ...base, missingSamples: Math.max(1, Math.round(step / this.periodUs) - 1) };
  }
}
