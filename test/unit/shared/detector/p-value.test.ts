import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pValueFloor, pValueOf } from '../../../../shared/detector/p-value.js';

const ref = { probs: [0, 0.5, 0.9, 0.99, 1], scores: [0.1, 0.2, 0.4, 0.8, 1.6], count: 199 };

describe('pValueOf', () => {
  it('is 1 - prob at each quantile point', () => {
    expect(pValueOf(ref, 0.2)).toBeCloseTo(0.5, 12);
    expect(pValueOf(ref, 0.4)).toBeCloseTo(0.1, 12);
    expect(pValueOf(ref, 0.8)).toBeCloseTo(0.01, 12);
  });

  it('interpolates linearly between quantile points', () => {
    expect(pValueOf(ref, 0.3)).toBeCloseTo(0.3, 12);
  });

  it('is 1 below the lowest reference score', () => {
    expect(pValueOf(ref, 0)).toBe(1);
  });

  it('is floored at 1/(count+1) beyond the reference', () => {
    expect(pValueOf(ref, 100)).toBe(1 / 200);
    expect(pValueOf(ref, 1.59)).toBe(1 / 200);
  });

  it('without a count, floors at the finest tail the quantiles resolve', () => {
    expect(pValueFloor({ probs: [0, 0.9, 0.999, 1], scores: [0, 1, 2, 3] })).toBeCloseTo(0.001, 12);
  });

  it('is non-increasing in the score and stays within [floor, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (a, d) => {
          const pa = pValueOf(ref, a);
          const pb = pValueOf(ref, a + d);
          expect(pb).toBeLessThanOrEqual(pa);
          expect(pa).toBeGreaterThanOrEqual(pValueFloor(ref));
          expect(pa).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('handles tied reference scores without dividing by zero', () => {
    const tied = { probs: [0, 0.5, 0.6, 1], scores: [0, 1, 1, 2], count: 9 };
    expect(Number.isFinite(pValueOf(tied, 1))).toBe(true);
    expect(pValueOf(tied, 1.5)).toBeCloseTo(0.2, 12);
  });
});
