import { digamma, gammaQ, gammaQInverse, trigamma } from './special-functions.js';

/** Gamma(shape k, scale θ) with density x^(k−1)·e^(−x/θ)/(Γ(k)·θ^k), x > 0. */
export interface GammaFit {
  shape: number;
  scale: number;
}

/**
 * Maximum-likelihood gamma fit to positive scores, the DCASE Task 2 baseline's threshold model (it fits
 * scipy.stats.gamma to the training anomaly scores; here the location is fixed at 0 because scores are squared
 * errors ≥ 0, which also avoids the three-parameter fit's unstable location). The MLE of k solves
 *   ln k − ψ(k) = s,  s = ln(mean x) − mean(ln x)
 * (started at Minka's 2002 closed-form approximation, then Newton), and θ = mean x / k. Non-positive scores are
 * left out (ln 0). Undefined when fewer than 2 positive scores or all are equal.
 */
export function fitGamma(scores: ArrayLike<number>): GammaFit | undefined {
  let n = 0;
  let sum = 0;
  let sumLn = 0;
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i];
    if (!(x > 0) || !Number.isFinite(x)) continue;
    n++;
    sum += x;
    sumLn += Math.log(x);
  }
  if (n < 2) return undefined;
  const mean = sum / n;
  const s = Math.log(mean) - sumLn / n;
  if (!(s > 1e-12)) return undefined;
  let k = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  for (let i = 0; i < 100; i++) {
    const f = Math.log(k) - digamma(k) - s;
    const step = f / (1 / k - trigamma(k));
    const next = k - step;
    k = next > 0 ? next : k / 2;
    if (Math.abs(step) < 1e-12 * k) break;
  }
  return { shape: k, scale: mean / k };
}

/** P(X > x) under the fitted gamma. */
export function gammaSurvival(g: GammaFit, x: number): number {
  return gammaQ(g.shape, x / g.scale);
}

/** The score exceeded with probability p under the fitted gamma (the DCASE threshold at p = 1 − 0.9). */
export function gammaQuantileAbove(g: GammaFit, p: number): number {
  return g.scale * gammaQInverse(g.shape, p);
}
