import { describe, expect, it } from 'vitest';
import type { DecodeEvent } from '../../../../shared/protocol/index.js';
import { Capture } from '../../../../tools/record/capture.js';

const batch = (values: number[], channels = 3, sensorId = 1, seq?: number): DecodeEvent => ({
  type: 'samples',
  batch: { sensorId, channels, samples: Float32Array.from(values), ...(seq === undefined ? {} : { seq }) },
});

describe('Capture', () => {
  it('keeps samples, counts bad records, and notes gaps in place', () => {
    const capture = new Capture({ maxSamples: Number.POSITIVE_INFINITY });
    const items = capture.accept([
      batch([1, 2, 3, 4, 5, 6]),
      { type: 'bad', reason: 'crc', bytes: 20 },
      { type: 'gap', sensorId: 1, expectedSeq: 5, receivedSeq: 8, missingFrames: 3 },
      batch([7, 8, 9]),
      { type: 'gap', sensorId: 1, expectedSeq: 9, receivedSeq: 0, missingFrames: 0, reset: true },
    ]);
    expect(items).toEqual([
      { type: 'samples', samples: Float32Array.from([1, 2, 3, 4, 5, 6]), channels: 3 },
      { type: 'note', text: 'gap: sensor 1 lost 3 frame(s) (seq 5..7) after sample 2' },
      { type: 'samples', samples: Float32Array.from([7, 8, 9]), channels: 3 },
      {
        type: 'note',
        text: 'gap: sensor 1 restarted its sequence (9 expected, 0 received) after sample 3; loss unknown',
      },
    ]);
    expect(capture.counters).toEqual({ samples: 3, bad: 1, gaps: 2, missingFrames: 3, ignored: 0 });
  });

  it('stops at maxSamples, cutting the last batch', () => {
    const capture = new Capture({ maxSamples: 3 });
    const items = capture.accept([batch([1, 1, 1, 2, 2, 2]), batch([3, 3, 3, 4, 4, 4]), batch([5, 5, 5])]);
    expect(items.flatMap((i) => (i.type === 'samples' ? Array.from(i.samples) : []))).toEqual([
      1, 1, 1, 2, 2, 2, 3, 3, 3,
    ]);
    expect(capture.done).toBe(true);
    expect(capture.accept([batch([6, 6, 6])])).toEqual([]);
  });

  it('locks onto the first sensor and channel count; others are counted and named', () => {
    const capture = new Capture({ maxSamples: Number.POSITIVE_INFINITY });
    capture.accept([
      batch([1, 2, 3], 3, 4),
      batch([9, 9, 9], 3, 5),
      { type: 'gap', sensorId: 5, expectedSeq: 1, receivedSeq: 3, missingFrames: 2 },
      batch([1, 2], 2, 4),
    ]);
    expect(capture.counters).toMatchObject({ samples: 1, ignored: 2, gaps: 0 });
    expect(capture.channels).toBe(3);
    expect([...capture.ignoredReasons]).toEqual([
      'sensor 5 (recording sensor 4)',
      '2-channel data (recording 3 channels)',
    ]);
  });

  it('honours an explicit sensor and channel count', () => {
    const capture = new Capture({ maxSamples: 10, sensorId: 5, channels: 1 });
    capture.accept([batch([1, 2, 3], 3, 5), batch([7], 1, 4), batch([8, 9], 1, 5)]);
    expect(capture.counters).toMatchObject({ samples: 2, ignored: 2 });
  });
});
