import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from '../../../../shared/protocol/cobs.js';
import { RUNS } from './stream-helpers.js';

function encode(bytes: number[] | Uint8Array): number[] {
  const src = Uint8Array.from(bytes);
  const dst = new Uint8Array(cobsMaxEncodedLength(src.length));
  return Array.from(dst.subarray(0, cobsEncode(src, dst)));
}

function decode(bytes: number[] | Uint8Array, capacity = 1024): number[] | null {
  const src = Uint8Array.from(bytes);
  const dst = new Uint8Array(capacity);
  const n = cobsDecode(src, 0, src.length, dst);
  return n < 0 ? null : Array.from(dst.subarray(0, n));
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// The examples of Cheshire & Baker's paper as listed on Wikipedia ("Consistent Overhead Byte Stuffing").
const VECTORS: [string, number[], number[]][] = [
  ['empty', [], [0x01]],
  ['one zero', [0x00], [0x01, 0x01]],
  ['two zeros', [0x00, 0x00], [0x01, 0x01, 0x01]],
  ['zero, byte, zero', [0x00, 0x11, 0x00], [0x01, 0x02, 0x11, 0x01]],
  ['zero inside', [0x11, 0x22, 0x00, 0x33], [0x03, 0x11, 0x22, 0x02, 0x33]],
  ['no zero', [0x11, 0x22, 0x33, 0x44], [0x05, 0x11, 0x22, 0x33, 0x44]],
  ['trailing zeros', [0x11, 0x00, 0x00, 0x00], [0x02, 0x11, 0x01, 0x01, 0x01]],
  ['254 non-zero bytes', range(0x01, 0xfe), [0xff, ...range(0x01, 0xfe)]],
  ['zero then 254 non-zero', range(0x00, 0xfe), [0x01, 0xff, ...range(0x01, 0xfe)]],
  ['255 non-zero bytes', range(0x01, 0xff), [0xff, ...range(0x01, 0xfe), 0x02, 0xff]],
  ['254 non-zero then zero', [...range(0x02, 0xff), 0x00], [0xff, ...range(0x02, 0xff), 0x01, 0x01]],
  ['253 non-zero, zero, one', [...range(0x03, 0xff), 0x00, 0x01], [0xfe, ...range(0x03, 0xff), 0x02, 0x01]],
];

describe('COBS', () => {
  it.each(VECTORS)('encodes and decodes the known vector: %s', (_name, raw, encoded) => {
    expect(encode(raw)).toEqual(encoded);
    expect(decode(encoded)).toEqual(raw);
  });

  it('also decodes the redundant 0x01 group some encoders add after a full 254-byte run', () => {
    expect(decode([0xff, ...range(0x01, 0xfe), 0x01])).toEqual(range(0x01, 0xfe));
  });

  it('rejects a zero byte, a group running past the end, and output that does not fit', () => {
    expect(decode([0x03, 0x11, 0x00])).toBeNull();
    expect(decode([0x00])).toBeNull();
    expect(decode([0x05, 0x11, 0x22])).toBeNull();
    expect(decode([0x03, 0x11, 0x22, 0x01], 2)).toBeNull();
    expect(decode([0x03, 0x11, 0x22, 0x01], 3)).toEqual([0x11, 0x22, 0x00]);
  });

  it('round-trips any bytes, never emits 0x00, and stays within the size bound', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          // Long zero-free runs exercise the 254-byte group boundary.
          fc.uint8Array({ min: 1, maxLength: 800 }),
        ),
        (raw) => {
          const encoded = encode(raw);
          expect(encoded).not.toContain(0);
          expect(encoded.length).toBeLessThanOrEqual(cobsMaxEncodedLength(raw.length));
          expect(decode(encoded, raw.length)).toEqual(Array.from(raw));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('encodes at an offset, leaving the bytes before it alone', () => {
    const dst = new Uint8Array(8).fill(0xaa);
    const end = cobsEncode(Uint8Array.of(0x11, 0x00, 0x22), dst, 2);
    expect(Array.from(dst.subarray(0, end))).toEqual([0xaa, 0xaa, 0x02, 0x11, 0x02, 0x22]);
  });
});
