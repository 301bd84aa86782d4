import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFields, parseNumber } from '../../../../shared/protocol/csv-fields.js';
import { ascii, RUNS } from './stream-helpers.js';

const parse = (text: string): number => {
  const bytes = ascii(text);
  return parseNumber(bytes, 0, bytes.length);
};

/** The grammar the parser promises, written independently as a regular expression. */
const NUMBER = /^[ \t]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t]*$/;
const expected = (text: string): number => (NUMBER.test(text) ? Number(text.trim()) : Number.NaN);

describe('parseNumber', () => {
  it.each([
    ['0', 0],
    ['-0', -0],
    ['42', 42],
    ['+1.5', 1.5],
    ['-0.001', -0.001],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['2.5E-3', 0.0025],
    ['  7 ', 7],
    ['\t-3\t', -3],
    ['0.1', 0.1],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['1e-30', 1e-30],
    ['1e400', Number.POSITIVE_INFINITY],
  ])('reads %j as %d', (text, value) => {
    expect(Object.is(parse(text), value)).toBe(true);
  });

  it.each([
    '',
    ' ',
    '-',
    '+',
    '.',
    'e5',
    '1e',
    '1e+',
    '1.2.3',
    '1-2',
    'nan',
    'NaN',
    'inf',
    'Infinity',
    '0x10',
    '1_000',
    '1 2',
  ])('rejects %j', (text) => {
    expect(parse(text)).toBeNaN();
  });

  it('equals Number(text) on anything the grammar accepts and NaN elsewhere', () => {
    const chars = fc.constantFrom(...'0123456789012345678901234567890123456789.eE+- \tx,');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 30 }), (text) => {
        expect(Object.is(parse(text), expected(text))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('is correctly rounded like Number() for long mantissas and exponents around the fast-path limits', () => {
    const numeric = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 25 }),
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 25 })),
        fc.option(fc.integer({ min: -330, max: 330 })),
      )
      .map(
        ([sign, int, frac, exp]) =>
          `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`,
      );
    fc.assert(
      fc.property(numeric, (text) => {
        expect(Object.is(parse(text), Number(text))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads what String(double) writes back exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        // String(-0) is "0": the sign of zero is the one thing String() does not keep.
        expect(parse(String(value))).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('parseFields', () => {
  const fields = (text: string, capacity = 8): number | number[] => {
    const out = new Float64Array(capacity);
    const bytes = ascii(text);
    const n = parseFields(bytes, 0, bytes.length, out);
    return n < 0 ? n : Array.from(out.subarray(0, n));
  };

  it('splits at commas', () => {
    expect(fields('1,2.5, -3')).toEqual([1, 2.5, -3]);
    expect(fields('7')).toEqual([7]);
  });

  it('names the first bad field as -(index + 1)', () => {
    expect(fields('1,x,3')).toBe(-2);
    expect(fields('1,2,')).toBe(-3);
    expect(fields('')).toBe(-1);
    expect(fields('1,2,1e999')).toBe(-3);
  });

  it('reports more fields than the output holds as -(capacity + 1)', () => {
    expect(fields('1,2,3', 2)).toBe(-3);
    expect(fields('1,2', 2)).toEqual([1, 2]);
  });
});
