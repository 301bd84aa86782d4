import { describe, expect, it } from 'vitest';
import { SequenceTracker } from '../../../../shared/protocol/sequence-tracker.js';

describe('SequenceTracker', () => {
  it('accepts the first frame of each sensor and consecutive numbers silently', () => {
    const t = new SequenceTracker();
    expect([t.next(0, 5), t.next(0, 6), t.next(1, 900), t.next(0, 7), t.next(1, 901)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reports the frames missing between two frames of one sensor', () => {
    const t = new SequenceTracker();
    t.next(3, 10);
    expect(t.next(3, 14)).toEqual({
      type: 'gap',
      sensorId: 3,
      expectedSeq: 11,
      receivedSeq: 14,
      missingFrames: 3,
    });
    expect(t.next(3, 15)).toBeUndefined();
  });

  it('keeps sensors apart', () => {
    const t = new SequenceTracker();
    t.next(1, 100);
    t.next(2, 0);
    expect(t.next(1, 101)).toBeUndefined();
    expect(t.next(2, 2)?.missingFrames).toBe(1);
  });

  it('counts across the u32 wraparound', () => {
    const t = new SequenceTracker();
    t.next(0, 0xffffffff);
    expect(t.next(0, 0)).toBeUndefined();
    t.next(0, 0xfffffffe);
    expect(t.next(0, 1)).toMatchObject({ expectedSeq: 0xffffffff, receivedSeq: 1, missingFrames: 2 });
  });

  it('reports a step back or a repeat as a reset (sender restart), with no count of missing frames', () => {
    const t = new SequenceTracker();
    t.next(0, 5000);
    expect(t.next(0, 0)).toEqual({
      type: 'gap',
      sensorId: 0,
      expectedSeq: 5001,
      receivedSeq: 0,
      missingFrames: 0,
      reset: true,
    });
    expect(t.next(0, 1)).toBeUndefined();
    expect(t.next(0, 1)).toMatchObject({ reset: true, missingFrames: 0 });
  });

  it('reads a jump of 2^31 or more ahead as a restart, less as lost frames', () => {
    const t = new SequenceTracker();
    t.next(0, 0);
    expect(t.next(0, 2 ** 31)).toMatchObject({ missingFrames: 2 ** 31 - 1 });
    t.next(0, 0);
    expect(t.next(0, 2 ** 31 + 1)).toMatchObject({ reset: true });
  });
});
