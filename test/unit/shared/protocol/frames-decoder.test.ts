import { describe, expect, it } from 'vitest';
import { FramesDecoder } from '../../../../shared/protocol/frames-decoder.js';
import { encodeFrame } from '../../../../shared/protocol/frames-encoder.js';
import type { DecodeEvent } from '../../../../shared/protocol/types.js';
import { onWire, type RawPacket, rawPacket } from './packet-builder.js';
import { badOf, concat, samplesOf } from './stream-helpers.js';

const frame = (sensorId: number, seq: number, samples: number[] = [1, 2, 3]) =>
  encodeFrame({ sensorId, seq, channels: 3, samples, format: 'float32' });

function decodeAll(...chunks: Uint8Array[]): { decoder: FramesDecoder; events: DecodeEvent[] } {
  const decoder = new FramesDecoder();
  return { decoder, events: chunks.flatMap((c) => decoder.push(c)) };
}

describe('FramesDecoder', () => {
  it('decodes a float32 frame into one batch with its sensor and sequence number', () => {
    const wire = encodeFrame({
      sensorId: 4,
      seq: 9,
      channels: 2,
      samples: [0.5, -1, 2, 3],
      format: 'float32',
    });
    const { events, decoder } = decodeAll(wire);
    expect(events).toEqual([
      {
        type: 'samples',
        batch: { sensorId: 4, seq: 9, channels: 2, samples: Float32Array.of(0.5, -1, 2, 3) },
      },
    ]);
    expect(decoder.counters).toEqual({
      bytes: wire.length,
      samples: 2,
      records: 1,
      bad: 0,
      gaps: 0,
      missingFrames: 0,
    });
  });

  it('decodes the worked example of docs/protocol.md', () => {
    const hex =
      '04 01 01 2a 01 01 03 03 02 01 06 24 97 7f 3b 0a 03 ec ff 03 01 0b 04 ed ff ff 05 a8 6d 99 86 00';
    const wire = Uint8Array.from(hex.split(' '), (h) => Number.parseInt(h, 16));
    const scale = Math.fround(0.0039);
    expect(decodeAll(wire).events).toEqual([
      {
        type: 'samples',
        batch: {
          sensorId: 1,
          seq: 42,
          channels: 3,
          samples: Float32Array.from([10, -20, 256, 11, -19, 255], (c) => c * scale),
        },
      },
    ]);
  });

  it('decodes int16 frames as count × scale', () => {
    const wire = onWire(rawPacket({ channels: 3, format: 0, scale: 0.25, values: [4, -32768, 32767] }));
    expect(samplesOf(decodeAll(wire).events)).toEqual([1, -8192, 8191.75]);
  });

  it('ignores a leading 0x00 and idle 0x00 runs between frames', () => {
    const { events, decoder } = decodeAll(
      Uint8Array.of(0, 0),
      frame(1, 1),
      Uint8Array.of(0, 0, 0),
      frame(1, 2),
    );
    expect(samplesOf(events)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(decoder.counters.bad).toBe(0);
  });

  it('rejects, counts and skips each kind of broken frame, then decodes the next one', () => {
    const cases: [RawPacket | Uint8Array, string][] = [
      [{ values: [1], crc: 0x12345678 }, 'CRC mismatch'],
      [{ version: 2, values: [1] }, 'unsupported version 2'],
      [{ format: 7, values: [1] }, 'unknown sample format 7'],
      [{ channels: 0, sampleCount: 1, values: [1] }, 'zero channels'],
      [{ channels: 1, sampleCount: 2, values: [1] }, 'length 18 does not match the header (expected 22)'],
      [{ format: 0, scale: 0, values: [1] }, 'scale 0 is not a positive number'],
      [{ format: 0, scale: Number.NaN, values: [1] }, 'scale NaN is not a positive number'],
      [{ values: [Number.POSITIVE_INFINITY] }, 'non-finite sample (NaN or infinity)'],
      [{ channels: 2, values: [1, Number.NaN] }, 'non-finite sample (NaN or infinity)'],
      [Uint8Array.of(0x05, 0x11, 0x00), 'bad COBS encoding'],
      [Uint8Array.of(0x03, 0x11, 0x22, 0x00), 'frame of 2 bytes is shorter than a header'],
    ];
    for (const [broken, reason] of cases) {
      const wire = broken instanceof Uint8Array ? broken : onWire(rawPacket(broken));
      const { events, decoder } = decodeAll(concat([wire, frame(0, 1)]));
      expect(events).toEqual([
        { type: 'bad', reason, bytes: wire.length },
        { type: 'samples', batch: { sensorId: 0, seq: 1, channels: 3, samples: Float32Array.of(1, 2, 3) } },
      ]);
      expect(decoder.counters).toMatchObject({ bad: 1, records: 1 });
    }
  });

  it('resynchronizes after garbage at the next 0x00', () => {
    const { events } = decodeAll(Uint8Array.of(0x42, 0x13, 0x37), frame(0, 1), frame(0, 2));
    // The garbage runs into the first frame (no 0x00 between them): that frame is lost, the next is not.
    expect(badOf(events)).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'samples').map((e) => e.type === 'samples' && e.batch.seq),
    ).toEqual([2]);
  });

  it('reports lost frames as a gap before the samples of the frame that shows it', () => {
    const { events, decoder } = decodeAll(frame(5, 1), frame(5, 4));
    expect(events.map((e) => e.type)).toEqual(['samples', 'gap', 'samples']);
    expect(events[1]).toEqual({ type: 'gap', sensorId: 5, expectedSeq: 2, receivedSeq: 4, missingFrames: 2 });
    expect(decoder.counters).toMatchObject({ gaps: 1, missingFrames: 2, records: 2, samples: 2 });
  });

  it('reports a corrupted frame both as bad and, by the next good frame, as one missing frame', () => {
    const middle = frame(0, 2);
    middle[5] ^= 0x10;
    const { decoder } = decodeAll(frame(0, 1), middle, frame(0, 3));
    expect(decoder.counters).toMatchObject({ bad: 1, gaps: 1, missingFrames: 1, records: 2 });
  });

  it('reports a sender restart as a reset without counting missing frames', () => {
    const { events, decoder } = decodeAll(frame(0, 500), frame(0, 0), frame(0, 1));
    expect(events.filter((e) => e.type === 'gap')).toEqual([
      { type: 'gap', sensorId: 0, expectedSeq: 501, receivedSeq: 0, missingFrames: 0, reset: true },
    ]);
    expect(decoder.counters).toMatchObject({ gaps: 1, missingFrames: 0, records: 3 });
  });

  it('lets a frame without samples advance the sequence without a samples event', () => {
    const { events, decoder } = decodeAll(frame(0, 1), frame(0, 2, []), frame(0, 3));
    expect(events.map((e) => e.type)).toEqual(['samples', 'samples']);
    expect(decoder.counters).toMatchObject({ records: 3, gaps: 0, samples: 2 });
  });

  it('decodes a last frame missing its delimiter on flush', () => {
    const decoder = new FramesDecoder();
    const wire = frame(0, 1);
    expect(decoder.push(wire.subarray(0, -1))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(wire.length - 1);
    expect(samplesOf(decoder.flush())).toEqual([1, 2, 3]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  describe('memory bound', () => {
    it('drops a frame longer than maxFrameBytes as one bad record, then decodes the next', () => {
      const decoder = new FramesDecoder({ maxFrameBytes: 64 });
      const big = encodeFrame({
        sensorId: 0,
        seq: 0,
        channels: 1,
        samples: new Float32Array(40).fill(1),
        format: 'float32',
      });
      const events = [
        ...decoder.push(big.subarray(0, 50)),
        ...decoder.push(big.subarray(50)),
        ...decoder.push(frame(0, 1)),
      ];
      expect(badOf(events)).toEqual([
        { type: 'bad', reason: 'frame longer than 64 bytes', bytes: big.length },
      ]);
      expect(samplesOf(events)).toEqual([1, 2, 3]);
    });

    it('handles 10 MB of random bytes without throwing, holding less than the bound', () => {
      const decoder = new FramesDecoder();
      let seed = 1;
      const block = new Uint8Array(64 * 1024);
      for (let sent = 0; sent < 10 * 1024 * 1024; sent += block.length) {
        for (let i = 0; i < block.length; i++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          block[i] = seed >>> 24;
        }
        decoder.push(block);
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(65536);
      }
      expect(decoder.counters.bytes).toBe(10 * 1024 * 1024);
      expect(decoder.counters.records).toBe(0);
      expect(decoder.counters.bad).toBeGreaterThan(10_000);
      expect(samplesOf(decoder.push(concat([Uint8Array.of(0), frame(0, 1)])))).toEqual([1, 2, 3]);
    });

    it('counts 10 MB without any 0x00 as one bad record once the 0x00 comes', () => {
      const decoder = new FramesDecoder();
      const block = new Uint8Array(64 * 1024).fill(0xa5);
      for (let sent = 0; sent < 10 * 1024 * 1024; sent += block.length) {
        expect(decoder.push(block)).toEqual([]);
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(65536);
      }
      const events = decoder.push(concat([Uint8Array.of(0), frame(0, 1)]));
      expect(badOf(events)).toEqual([
        { type: 'bad', reason: 'frame longer than 65536 bytes', bytes: 10 * 1024 * 1024 + 1 },
      ]);
      expect(samplesOf(events)).toEqual([1, 2, 3]);
    });
  });

  it('refuses a bound too small for any frame', () => {
    expect(() => new FramesDecoder({ maxFrameBytes: 8 })).toThrow(
      /maxFrameBytes must be an integer in 15\.\./,
    );
  });
});
