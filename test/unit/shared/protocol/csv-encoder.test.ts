import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvDecoder } from '../../../../shared/protocol/csv-decoder.js';
import { encodeCsv } from '../../../../shared/protocol/csv-encoder.js';
import { ascii, RUNS, samplesOf } from './stream-helpers.js';

describe('encodeCsv', () => {
  it('writes one line per sample with the fewest digits that keep the float32', () => {
    expect(encodeCsv(Float32Array.of(1, 0.1, -2.5, 0, -0, 1e-7), 3)).toBe('1,0.1,-2.5\n0,-0,1e-7\n');
  });

  it('writes a leading timestamp when given one per sample', () => {
    expect(encodeCsv([1, 2, 3, 4], 2, { timestampsUs: [1000, 1312] })).toBe('1000,1,2\n1312,3,4\n');
  });

  it('writes nothing for no samples', () => {
    expect(encodeCsv([], 3)).toBe('');
  });

  it('refuses input it cannot write faithfully, saying what is wrong', () => {
    expect(() => encodeCsv([1, 2, 3], 2)).toThrow('encodeCsv: 3 values are not whole samples of 2 channels');
    expect(() => encodeCsv([1], 0)).toThrow(/channels must be an integer in 1\.\.255/);
    expect(() => encodeCsv([1, Number.NaN], 1)).toThrow('encodeCsv: sample 1 (NaN) is not a finite float32');
    expect(() => encodeCsv([1e39], 1)).toThrow(/not a finite float32/);
    expect(() => encodeCsv([1, 2], 1, { timestampsUs: [5] })).toThrow(
      'encodeCsv: 1 timestamps for 2 samples',
    );
    expect(() => encodeCsv([1], 1, { timestampsUs: [1.5] })).toThrow(/timestamp 0 \(1.5\)/);
  });

  it('writes each value with as few significant digits as toPrecision needs to keep the float32', () => {
    const fewest = (v: number): number => {
      let digits = 1;
      while (Math.fround(Number(v.toPrecision(digits))) !== v) digits++;
      return digits;
    };
    const significant = (text: string): number =>
      Math.max(1, text.replace(/e.*|[-.]/g, '').replace(/^0+|0+$/g, '').length);
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const text = encodeCsv([v], 1).trimEnd();
        expect(Object.is(Math.fround(Number(text)), v)).toBe(true);
        expect(significant(text)).toBe(fewest(v));
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips any finite float32 samples exactly through the decoder, with at most 9 digits each', () => {
    const input = fc
      .integer({ min: 1, max: 6 })
      .chain((channels) =>
        fc.tuple(
          fc.constant(channels),
          fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: channels * 4 }),
        ),
      );
    fc.assert(
      fc.property(input, ([channels, values]) => {
        const whole = values.slice(0, values.length - (values.length % channels));
        const text = encodeCsv(whole, channels);
        const digits = text
          .split(/[,\n]/)
          .map((f) => f.replace(/e.*|[-.]/g, '').replace(/^0+|0+$/g, '').length);
        expect(Math.max(0, ...digits)).toBeLessThanOrEqual(9);
        const decoder = new CsvDecoder({ channels });
        const decoded = samplesOf([...decoder.push(ascii(text)), ...decoder.flush()]);
        // toEqual tells -0 from 0, so this also checks the sign of zero survives.
        expect(decoded).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });
});
