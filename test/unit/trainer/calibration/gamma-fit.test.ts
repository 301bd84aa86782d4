import { describe, expect, it } from 'vitest';
import { fitGamma, gammaQuantileAbove, gammaSurvival } from '../../../../trainer/calibration/gamma-fit.js';
import {
  digamma,
  gammaP,
  gammaQ,
  gammaQInverse,
  lnGamma,
  trigamma,
} from '../../../../trainer/calibration/special-functions.js';
import { SeededRandom } from '../../../../trainer/model/seeded-random.js';

describe('special functions (reference values from closed forms)', () => {
  it('ln Γ: Γ(1/2) = √π, Γ(5) = 24, Γ(10.5) = 1133278.3889487855 (= 19!!·√π/2^10)', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(Math.exp(lnGamma(5))).toBeCloseTo(24, 10);
    expect(lnGamma(10.5)).toBeCloseTo(Math.log((654729075 * Math.sqrt(Math.PI)) / 1024), 12);
  });

  it("ψ(1) = −γ (Euler-Mascheroni), ψ(n + 1) = −γ + H_n; ψ'(1) = π²/6", () => {
    const euler = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-euler, 12);
    expect(digamma(4)).toBeCloseTo(-euler + 1 + 1 / 2 + 1 / 3, 12);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 12);
    expect(trigamma(3)).toBeCloseTo(Math.PI ** 2 / 6 - 1 - 1 / 4, 12);
  });

  it('Q(3, x) = e^(−x)(1 + x + x²/2) (Erlang), P(1/2, x) = erf(√x); P + Q = 1', () => {
    for (const x of [0.1, 1, 2.5, 4, 12, 40]) {
      expect(gammaQ(3, x)).toBeCloseTo(Math.exp(-x) * (1 + x + (x * x) / 2), 13);
      expect(gammaP(3, x) + gammaQ(3, x)).toBeCloseTo(1, 13);
    }
    // erf(1) = 0.8427007929497149 (Abramowitz & Stegun table 7.1)
    expect(gammaP(0.5, 1)).toBeCloseTo(0.8427007929497149, 13);
  });

  it('inverse: chi-square quantiles from published tables (chi²_ν = Gamma(ν/2, 2))', () => {
    // chi²(1) 95 %: 3.841458820694124; chi²(10) 99 %: 23.209251158954356; chi²(2) is Exp(mean 2): −2 ln 0.05.
    expect(2 * gammaQInverse(0.5, 0.05)).toBeCloseTo(3.841458820694124, 9);
    expect(2 * gammaQInverse(5, 0.01)).toBeCloseTo(23.209251158954356, 9);
    expect(2 * gammaQInverse(1, 0.05)).toBeCloseTo(-2 * Math.log(0.05), 10);
    expect(gammaQ(2.7, gammaQInverse(2.7, 1e-6))).toBeCloseTo(1e-6, 15);
  });
});

describe('gamma maximum likelihood', () => {
  it('recovers shape 3, scale 2 from 20000 Erlang draws (sums of three exponentials)', () => {
    const rng = new SeededRandom(21);
    const x = Float64Array.from({ length: 20000 }, () => {
      let s = 0;
      for (let i = 0; i < 3; i++) s -= 2 * Math.log(1 - rng.next());
      return s;
    });
    const fit = fitGamma(x);
    // sd(k̂) = √(k/(n(kψ'(k) − 1))) = 0.028 at k = 3 (Fisher information of the gamma); tolerance ~4 sd.
    expect(Math.abs((fit?.shape ?? 0) - 3)).toBeLessThan(0.12);
    expect(Math.abs((fit?.scale ?? 0) - 2)).toBeLessThan(0.08);
  });

  it('recovers shape 1/2 from squared standard normals (chi²(1) = Gamma(1/2, 2))', () => {
    const rng = new SeededRandom(4);
    const x = Float64Array.from({ length: 20000 }, () => rng.normal() ** 2);
    const fit = fitGamma(x);
    expect(Math.abs((fit?.shape ?? 0) - 0.5)).toBeLessThan(0.02);
    expect(Math.abs((fit?.scale ?? 0) - 2)).toBeLessThan(0.12);
  });

  it('the threshold above rate p inverts the survival', () => {
    const g = { shape: 2.5, scale: 0.3 };
    expect(gammaSurvival(g, gammaQuantileAbove(g, 0.005))).toBeCloseTo(0.005, 12);
    expect(fitGamma([1, 1, 1])).toBeUndefined();
  });
});
