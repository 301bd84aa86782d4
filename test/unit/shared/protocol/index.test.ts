import { describe, expect, it } from 'vitest';
import { createDecoder, encodeCsv, encodeFrame } from '../../../../shared/protocol/index.js';
import { ascii, samplesOf } from './stream-helpers.js';

describe('createDecoder', () => {
  it('makes a csv decoder with its options', () => {
    const decoder = createDecoder('csv', { channels: 2, sensorId: 9 });
    const events = decoder.push(ascii(encodeCsv([1, 2, 3, 4], 2)));
    expect(events).toEqual([
      { type: 'samples', batch: { sensorId: 9, channels: 2, samples: Float32Array.of(1, 2, 3, 4) } },
    ]);
  });

  it('makes a frames decoder that ignores csv-only options', () => {
    const decoder = createDecoder('frames', { channels: 2, sensorId: 9, maxFrameBytes: 1024 });
    const wire = encodeFrame({ sensorId: 3, seq: 1, channels: 2, samples: [1, 2], format: 'float32' });
    expect(samplesOf(decoder.push(wire))).toEqual([1, 2]);
    expect(decoder.counters.records).toBe(1);
  });

  it('passes option errors through', () => {
    expect(() => createDecoder('frames', { maxFrameBytes: 0 })).toThrow(/maxFrameBytes/);
    expect(() => createDecoder('csv', { channels: 300 })).toThrow(/channels/);
  });
});
