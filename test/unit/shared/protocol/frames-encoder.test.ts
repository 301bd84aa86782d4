import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cobsDecode } from '../../../../shared/protocol/cobs.js';
import { crc32 } from '../../../../shared/protocol/crc32.js';
import { encodeFrame } from '../../../../shared/protocol/frames-encoder.js';
import { rawPacket } from './packet-builder.js';
import { RUNS } from './stream-helpers.js';

/** The packet inside a frame: drop the 0x00 delimiter and undo COBS. */
function unwrap(frame: Uint8Array): Uint8Array {
  expect(frame[frame.length - 1]).toBe(0);
  expect(frame.subarray(0, -1)).not.toContain(0);
  const packet = new Uint8Array(frame.length);
  const n = cobsDecode(frame, 0, frame.length - 1, packet);
  expect(n).toBeGreaterThan(0);
  return packet.slice(0, n);
}

describe('encodeFrame', () => {
  it('lays out a float32 frame byte by byte as documented', () => {
    const frame = encodeFrame({
      sensorId: 2,
      seq: 0x01020304,
      channels: 3,
      samples: [1, -1, 0.5],
      format: 'float32',
    });
    const packet = unwrap(frame);
    // biome-ignore format: one row per field of the layout
    expect(Array.from(packet.subarray(0, 22))).toEqual([
      0x01,                   // version
      0x02,                   // sensor id
      0x04, 0x03, 0x02, 0x01, // seq 0x01020304, little-endian
      0x03,                   // channels
      0x01, 0x00,             // samples per channel
      0x01,                   // format: float32
      0x00, 0x00, 0x80, 0x3f, // 1
      0x00, 0x00, 0x80, 0xbf, // -1
      0x00, 0x00, 0x00, 0x3f, // 0.5
    ]);
    const crc = new DataView(packet.buffer).getUint32(22, true);
    expect(packet.length).toBe(26);
    expect(crc).toBe(crc32(packet, 0, 22));
  });

  it('lays out an int16 frame with its scale after the header and rounds to counts', () => {
    const packet = unwrap(
      encodeFrame({
        sensorId: 0,
        seq: 7,
        channels: 2,
        samples: [1, -1.5, 100, 0.2],
        format: 'int16',
        scale: 0.5,
      }),
    );
    // biome-ignore format: one row per field of the layout
    expect(Array.from(packet.subarray(0, 22))).toEqual([
      0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, // version, sensor 0, seq 7, 2 channels, 2 samples
      0x00,                   // format: int16
      0x00, 0x00, 0x00, 0x3f, // scale 0.5
      0x02, 0x00,             // 2
      0xfd, 0xff,             // -3 (-1.5 / 0.5)
      0xc8, 0x00,             // 200
      0x00, 0x00,             // 0 (0.2 / 0.5 rounds to 0)
    ]);
    expect(packet).toEqual(
      rawPacket({ seq: 7, channels: 2, format: 0, scale: 0.5, values: [2, -3, 200, 0] }),
    );
  });

  it('picks the scale that maps the largest |value| to 32767 when none is given', () => {
    const packet = unwrap(
      encodeFrame({ sensorId: 1, seq: 0, channels: 1, samples: [-2, 1, 0], format: 'int16' }),
    );
    const view = new DataView(packet.buffer);
    expect(view.getFloat32(10, true)).toBe(Math.fround(2 / 32767));
    expect([0, 1, 2].map((i) => view.getInt16(14 + 2 * i, true))).toEqual([-32767, 16384, 0]);
  });

  it('saturates int16 counts like an ADC instead of wrapping', () => {
    const packet = unwrap(
      encodeFrame({ sensorId: 1, seq: 0, channels: 2, samples: [1e6, -1e6], format: 'int16', scale: 1 }),
    );
    const view = new DataView(packet.buffer);
    expect([view.getInt16(14, true), view.getInt16(16, true)]).toEqual([32767, -32768]);
  });

  it('matches the hand-built packet for any header and float32 samples', () => {
    const arb = fc.record({
      sensorId: fc.integer({ min: 0, max: 255 }),
      seq: fc.integer({ min: 0, max: 0xffffffff }),
      channels: fc.integer({ min: 1, max: 4 }),
      perChannel: fc.integer({ min: 0, max: 5 }),
      values: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 20, maxLength: 20 }),
    });
    fc.assert(
      fc.property(arb, ({ sensorId, seq, channels, perChannel, values }) => {
        const samples = values.slice(0, channels * perChannel);
        const frame = encodeFrame({ sensorId, seq, channels, samples, format: 'float32' });
        expect(unwrap(frame)).toEqual(
          rawPacket({ sensorId, seq, channels, sampleCount: perChannel, values: samples }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses frames it cannot encode, naming the field', () => {
    const ok = { sensorId: 1, seq: 1, channels: 1, samples: [1], format: 'float32' } as const;
    expect(() => encodeFrame({ ...ok, sensorId: 256 })).toThrow(
      'encodeFrame: sensorId must be an integer in 0..255, got 256',
    );
    expect(() => encodeFrame({ ...ok, seq: -1 })).toThrow(/seq must be an integer in 0\.\.4294967295/);
    expect(() => encodeFrame({ ...ok, seq: 2 ** 32 })).toThrow(/seq/);
    expect(() => encodeFrame({ ...ok, channels: 0 })).toThrow(/channels must be at least 1/);
    expect(() => encodeFrame({ ...ok, channels: 2 })).toThrow(
      'encodeFrame: 1 values are not whole samples of 2 channels',
    );
    expect(() => encodeFrame({ ...ok, samples: [Number.NaN] })).toThrow(
      /sample 0 \(NaN\) is not a finite float32/,
    );
    expect(() => encodeFrame({ ...ok, samples: [1e39] })).toThrow(/not a finite float32/);
    expect(() => encodeFrame({ ...ok, format: 'int16', scale: 0 })).toThrow(
      /scale must be a positive float32, got 0/,
    );
    expect(() => encodeFrame({ ...ok, format: 'int8' as 'int16' })).toThrow(
      /format must be int16 or float32/,
    );
    expect(() => encodeFrame({ ...ok, samples: new Float32Array(65536) })).toThrow(/samples per channel/);
    expect(() => encodeFrame({ ...ok, channels: 4, samples: new Float32Array(4 * 4100).fill(1) })).toThrow(
      /over the 65536-byte limit: send fewer samples per frame/,
    );
  });
});
