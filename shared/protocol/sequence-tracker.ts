import type { SequenceGap } from './types.js';

const HALF_RANGE = 2 ** 31;

/**
 * Follows the u32 frame sequence number of each sensor (ids are one byte). The next frame of a sensor should
 * carry `last + 1` (mod 2^32, so 0xFFFFFFFF → 0 is not a gap). A frame up to 2^31 - 1 ahead means frames were
 * lost in between; anything else (a repeat, or a step back) means the sender restarted its count: that is
 * reported as a reset, and the count restarts from the new number.
 */
export class SequenceTracker {
  private readonly last = new Float64Array(256).fill(-1);

  /** Records a good frame; returns the gap it reveals, if any. */
  next(sensorId: number, seq: number): SequenceGap | undefined {
    const last = this.last[sensorId];
    this.last[sensorId] = seq;
    if (last < 0) return undefined;
    const expectedSeq = (last + 1) >>> 0;
    const ahead = (seq - expectedSeq) >>> 0;
    if (ahead === 0) return undefined;
    if (ahead < HALF_RANGE)
      return { type: 'gap', sensorId, expectedSeq, receivedSeq: seq, missingFrames: ahead };
    return { type: 'gap', sensorId, expectedSeq, receivedSeq: seq, missingFrames: 0, reset: true };
  }
}
