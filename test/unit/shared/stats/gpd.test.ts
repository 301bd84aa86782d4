import { describe, expect, it } from 'vitest';
import { gpdExcessAt, gpdLogLikelihood, gpdSurvival } from '../../../../shared/stats/gpd.js';
import { tailQuantile, tailSurvival } from '../../../../shared/stats/pot-tail.js';

// Reference values from the GPD's closed forms (Coles 2001, eq. 4.2), evaluated by hand:
//   S(y) = (1 + ξy/σ)^(−1/ξ),  y(s) = σ/ξ·(s^(−ξ) − 1),  ξ = 0: S = e^(−y/σ), y(s) = −σ ln s.
describe('GPD closed forms', () => {
  it('quantile: σ = 2, ξ = 0.25, s = 0.01 gives 8·(√10 − 1) = 17.298221281347036', () => {
    expect(gpdExcessAt(0.01, 2, 0.25)).toBeCloseTo(17.298221281347036, 10);
    expect(gpdSurvival(17.298221281347036, 2, 0.25)).toBeCloseTo(0.01, 12);
  });

  it('ξ = 1 (S = 1/(1 + y) at σ = 1): survival 0.1 at y = 9', () => {
    expect(gpdExcessAt(0.1, 1, 1)).toBeCloseTo(9, 12);
    expect(gpdSurvival(9, 1, 1)).toBeCloseTo(0.1, 12);
  });

  it('bounded tail ξ = −0.5, σ = 1: S(1) = 0.25, endpoint at σ/|ξ| = 2', () => {
    expect(gpdSurvival(1, 1, -0.5)).toBeCloseTo(0.25, 12);
    expect(gpdExcessAt(0.25, 1, -0.5)).toBeCloseTo(1, 12);
    expect(gpdSurvival(2, 1, -0.5)).toBe(0);
    expect(gpdSurvival(5, 1, -0.5)).toBe(0);
  });

  it('exponential special case ξ = 0: y(e^−2) = 2σ, and ξ → 0 is continuous', () => {
    expect(gpdExcessAt(Math.exp(-2), 3, 0)).toBeCloseTo(6, 12);
    expect(gpdSurvival(6, 3, 0)).toBeCloseTo(Math.exp(-2), 14);
    expect(gpdSurvival(6, 3, 1e-9)).toBeCloseTo(Math.exp(-2), 8);
    expect(gpdExcessAt(0.001, 3, -1e-9)).toBeCloseTo(-3 * Math.log(0.001), 6);
  });

  it('log-likelihood matches the density summed by hand', () => {
    // f(y) = (1/σ)(1 + ξy/σ)^(−1/ξ − 1); σ = 2, ξ = 0.5, y = 1, 3: ln f = −ln 2 − 3·ln(1 + y/4)
    const expected = -2 * Math.log(2) - 3 * Math.log(1.25) - 3 * Math.log(1.75);
    expect(gpdLogLikelihood([1, 3], 2, 0.5)).toBeCloseTo(expected, 12);
    expect(gpdLogLikelihood([1, 3], 2, 0)).toBeCloseTo(-2 * Math.log(2) - 2, 12);
    expect(gpdLogLikelihood([3], 1, -0.5)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('POT tail', () => {
  const tail = { kind: 'gpd' as const, u: 10, zeta: 0.05, sigma: 2, xi: 0.25, excesses: 50 };

  it('threshold at rate q is u + y(q/ζ) (SPOT eq. 2)', () => {
    // q = 0.0005: q/ζ = 0.01, so the quantile is u + 17.298221281347036.
    expect(tailQuantile(tail, 0.0005)).toBeCloseTo(27.298221281347036, 10);
    expect(tailSurvival(tail, 27.298221281347036)).toBeCloseTo(0.0005, 12);
    expect(tailSurvival(tail, 10)).toBe(0.05);
  });

  it('refuses rates the tail does not model', () => {
    expect(() => tailQuantile(tail, 0.2)).toThrow(/outside/);
  });
});
