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

describe('pValueOf with a stored GPD tail', () => {
  // Tail over u = 0.8 (the 0.99 reference quantile): ζ = 0.01, σ = 0.2, ξ = 0.1.
  const tail = { kind: 'gpd' as const, u: 0.8, zeta: 0.01, sigma: 0.2, xi: 0.1, excesses: 2 };
  const withTail = { ...ref, tail };

  it('above u is ζ·(1 + ξ(s − u)/σ)^(−1/ξ), with no 1/(count+1) floor', () => {
    // s = 2.8: 1 + 0.1·2/0.2 = 2, so p = 0.01·2^(−10) = 9.765625e-6 < 1/200.
    expect(pValueOf(withTail, 2.8)).toBeCloseTo(0.01 * 2 ** -10, 15);
    expect(pValueOf(withTail, 2.8)).toBeLessThan(pValueFloor(ref));
  });

  it('below u keeps the empirical value, held at >= ζ', () => {
    expect(pValueOf(withTail, 0.3)).toBeCloseTo(0.3, 12);
    expect(pValueOf(withTail, 0.8)).toBeCloseTo(0.01, 12);
  });

  it('is non-increasing across u and beyond', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (a, d) => {
          expect(pValueOf(withTail, a + d)).toBeLessThanOrEqual(pValueOf(withTail, a));
        },
      ),
    );
  });

  it('a bounded tail (ξ < 0) gives 0 beyond its endpoint u + σ/|ξ|', () => {
    const bounded = { ...ref, tail: { ...tail, xi: -0.25 } };
    expect(pValueOf(bounded, 0.8 + 0.2 / 0.25 + 0.01)).toBe(0);
  });
});
