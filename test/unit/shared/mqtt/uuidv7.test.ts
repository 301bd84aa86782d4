import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  UUIDV7_PATTERN,
  Uuidv7Generator,
  uuidv7,
  uuidv7Schema,
  uuidv7Time,
} from '../../../../shared/mqtt/uuidv7.js';

const T = Date.UTC(2025, 10, 25, 14, 0, 0, 123);

/** A deterministic random source: bytes from a counter. */
function counterRandom(start = 0) {
  let n = start;
  return (len: number) => Uint8Array.from({ length: len }, () => n++ & 0xff);
}

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7, variant 10, the time in the first 48 bits', () => {
    const id = uuidv7(T);
    expect(id).toMatch(UUIDV7_PATTERN);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(uuidv7Time(id)).toBe(T);
    expect(uuidv7Schema.safeParse(id).success).toBe(true);
  });

  it('is strictly increasing and unique within the same millisecond', () => {
    const gen = new Uuidv7Generator();
    const ids = Array.from({ length: 10_000 }, () => gen.next(T));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(ids.every((id) => uuidv7Time(id) === T)).toBe(true);
  });

  it('keeps increasing when the clock steps back, and follows it again once it passes', () => {
    const gen = new Uuidv7Generator();
    const a = gen.next(T);
    const b = gen.next(T - 5000);
    expect(b > a).toBe(true);
    expect(uuidv7Time(b)).toBe(T);
    const c = gen.next(T + 1);
    expect(c > b).toBe(true);
    expect(uuidv7Time(c)).toBe(T + 1);
  });

  it('sorts as strings in the order of the times it was given (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 48 - 1 }), { minLength: 2, maxLength: 50 }),
        (times) => {
          const gen = new Uuidv7Generator();
          const sorted = [...times].sort((x, y) => x - y);
          const ids = sorted.map((t) => gen.next(t));
          for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
          // Without clock steps back the encoded time is exactly the given one.
          expect(ids.map(uuidv7Time)).toEqual(sorted);
        },
      ),
    );
  });

  it('takes its random bits from the source it is given', () => {
    const a = new Uuidv7Generator(counterRandom()).next(T);
    const b = new Uuidv7Generator(counterRandom()).next(T);
    const c = new Uuidv7Generator(counterRandom(7)).next(T);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // The last 32 bits are the random bytes 6..9 of the draw.
    expect(a.slice(-8)).toBe('06070809');
  });

  it('the shared generator stays monotonic when a call passes its own random source', () => {
    const first = uuidv7(T + 10);
    const second = uuidv7(T + 10, counterRandom());
    expect(second > first).toBe(true);
  });

  it('refuses times it cannot encode', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(1.5)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidv7Time('not-a-uuid')).toThrow(/not a UUIDv7/);
  });
});
