import { describe, expect, it } from 'vitest';
import { gpdLogLikelihood } from '../../../../shared/stats/gpd.js';
import { fitGpd, gpdMle, gpdPwm } from '../../../../trainer/calibration/gpd-fit.js';
import { SeededRandom } from '../../../../trainer/model/seeded-random.js';

/** n GPD(σ, ξ) draws by inversion of the closed-form CDF: y = σ/ξ·(U^(−ξ) − 1), or −σ ln U when ξ = 0. */
function gpdSample(n: number, sigma: number, xi: number, seed: number): Float64Array {
  const rng = new SeededRandom(seed);
  return Float64Array.from({ length: n }, () => {
    const u = 1 - rng.next();
    return xi === 0 ? -sigma * Math.log(u) : (sigma / xi) * (u ** -xi - 1);
  });
}

// Asymptotic standard errors of the MLE (Smith 1985; Coles 2001, 4.3.3): sd(ξ) = (1 + ξ)/√n,
// sd(σ)/σ = √(2(1 + ξ)/n). At n = 20000 that is ≤ 0.011 and ≤ 0.013; the tolerances below are ~4 of them.
describe('GPD maximum likelihood (Grimshaw)', () => {
  it.each([
    [1, 0.3],
    [2, 0],
    [0.5, -0.3],
  ])('recovers σ = %s, ξ = %s from 20000 draws', (sigma, xi) => {
    const fit = gpdMle(gpdSample(20000, sigma, xi, 11));
    expect(fit).toBeDefined();
    expect(fit?.method).toBe('mle');
    expect(Math.abs((fit?.xi ?? 99) - xi)).toBeLessThan(0.045);
    expect(Math.abs((fit?.sigma ?? 99) / sigma - 1)).toBeLessThan(0.05);
  });

  it('lands on a maximum of the two-parameter likelihood (no neighbour is higher)', () => {
    const y = gpdSample(500, 1.5, 0.15, 5);
    const fit = gpdMle(y);
    if (!fit) throw new Error('no fit');
    const best = gpdLogLikelihood(y, fit.sigma, fit.xi);
    expect(best).toBeCloseTo(fit.logLikelihood, 9);
    for (const [ds, dx] of [
      [1.01, 0],
      [0.99, 0],
      [1, 0.01],
      [1, -0.01],
      [1.01, 0.01],
      [0.99, -0.01],
    ]) {
      expect(gpdLogLikelihood(y, fit.sigma * ds, fit.xi + dx)).toBeLessThan(best);
    }
  });
});

describe('GPD probability-weighted moments (Hosking & Wallis 1987)', () => {
  it('exponential excesses: a1 = σ/4 exactly makes ξ = 0, σ = mean', () => {
    // Hand-built sample where a0 = 4 and a1 = 1: ξ = 2 − a0/(a0 − 2a1) = 0, σ = 2·a0·a1/(a0 − 2a1) = 4.
    // With n = 2, p = (0.325, 0.825): a1 = (0.675·y1 + 0.175·y2)/2 = 1 and (y1 + y2)/2 = 4.
    const y1 = (2 - 0.175 * 8) / (0.675 - 0.175);
    const fit = gpdPwm([y1, 8 - y1]);
    expect(fit?.xi).toBeCloseTo(0, 12);
    expect(fit?.sigma).toBeCloseTo(4, 12);
  });

  it('recovers σ = 1, ξ = 0.2 from 20000 draws (PWM sd is ~1.3x the MLE one below ξ = 0.5)', () => {
    const fit = gpdPwm(gpdSample(20000, 1, 0.2, 3));
    expect(Math.abs((fit?.xi ?? 99) - 0.2)).toBeLessThan(0.06);
    expect(Math.abs((fit?.sigma ?? 99) - 1)).toBeLessThan(0.06);
  });

  it('fitGpd falls back to PWM when the likelihood has no interior maximum', () => {
    // Equally spaced excesses are uniform-like (ξ → −1), where the likelihood climbs to the ξ ≤ −1 edge.
    const y = Float64Array.from({ length: 30 }, (_, i) => (i + 1) / 30);
    expect(gpdMle(y)).toBeUndefined();
    const fit = fitGpd(y);
    expect(fit?.method).toBe('pwm');
    expect(fit?.xi).toBeLessThan(-0.5);
  });
});
