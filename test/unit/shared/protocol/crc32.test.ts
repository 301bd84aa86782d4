import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../../shared/protocol/crc32.js';
import { ascii, RUNS } from './stream-helpers.js';

describe('crc32', () => {
  it('gives the CRC-32/IEEE check value for "123456789"', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
  });

  it('gives 0 for no bytes and known values for short inputs', () => {
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32(new Uint8Array([0]))).toBe(0xd202ef8d);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('covers only bytes[start, end)', () => {
    const framed = ascii('xx123456789yyy');
    expect(crc32(framed, 2, 11)).toBe(0xcbf43926);
  });

  it.skipIf(typeof zlib.crc32 !== 'function')('agrees with zlib on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc32(bytes)).toBe(zlib.crc32(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('changes on every single-bit error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (bytes, bit) => {
        const flipped = bytes.slice();
        const at = bit % (bytes.length * 8);
        flipped[at >> 3] ^= 1 << (at & 7);
        expect(crc32(flipped)).not.toBe(crc32(bytes));
      }),
      { numRuns: RUNS },
    );
  });
});
