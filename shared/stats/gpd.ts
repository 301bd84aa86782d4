/**
 * The generalized Pareto distribution (GPD) of excesses y ≥ 0 over a high threshold, scale σ > 0, shape ξ:
 *   S(y) = P(Y > y) = (1 + ξ·y/σ)^(−1/ξ)   (ξ ≠ 0; 0 beyond the endpoint −σ/ξ when ξ < 0)
 *   S(y) = exp(−y/σ)                       (ξ = 0, the exponential)
 * By the Pickands–Balkema–de Haan theorem it is the limit law of excesses over a rising threshold for any
 * score distribution in an extreme-value domain of attraction, which is why a tail fitted with it can be
 * extrapolated beyond the largest score seen (Coles 2001, ch. 4; Siffer et al., KDD 2017, "SPOT").
 * Both ξ forms are written with log1p/expm1 so they are continuous (and accurate) as ξ → 0.
 */

/** |ξ| below this is treated as the exponential case (relative error of the ξ ≠ 0 form ~ ξ·y/σ). */
const XI_ZERO = 1e-12;

/** P(Y > y) for an excess y (1 for y ≤ 0). */
export function gpdSurvival(y: number, sigma: number, xi: number): number {
  if (!(y > 0)) return 1;
  if (Math.abs(xi) < XI_ZERO) return Math.exp(-y / sigma);
  const z = (xi * y) / sigma;
  if (z <= -1) return 0; // beyond the upper endpoint of a bounded (ξ < 0) tail
  return Math.exp(-Math.log1p(z) / xi);
}

/** The excess y with P(Y > y) = s, for s in (0, 1]: σ/ξ·(s^(−ξ) − 1), or −σ·ln s when ξ = 0. */
export function gpdExcessAt(s: number, sigma: number, xi: number): number {
  if (!(s > 0 && s <= 1)) throw new RangeError(`gpdExcessAt: survival ${s} outside (0, 1]`);
  const ln = Math.log(s);
  if (Math.abs(xi) < XI_ZERO) return -sigma * ln;
  return (sigma * Math.expm1(-xi * ln)) / xi;
}

/**
 * Log-likelihood of excesses under GPD(σ, ξ):
 *   −N·ln σ − (1 + 1/ξ)·Σ ln(1 + ξ·y_i/σ)    (ξ ≠ 0; −∞ if any y_i lies beyond the endpoint)
 *   −N·ln σ − Σ y_i/σ                        (ξ = 0)
 */
export function gpdLogLikelihood(excesses: ArrayLike<number>, sigma: number, xi: number): number {
  if (!(sigma > 0)) return Number.NEGATIVE_INFINITY;
  const n = excesses.length;
  let sum = 0;
  if (Math.abs(xi) < XI_ZERO) {
    for (let i = 0; i < n; i++) sum += excesses[i];
    return -n * Math.log(sigma) - sum / sigma;
  }
  for (let i = 0; i < n; i++) {
    const z = (xi * excesses[i]) / sigma;
    if (z <= -1) return Number.NEGATIVE_INFINITY;
    sum += Math.log1p(z);
  }
  return -n * Math.log(sigma) - (1 + 1 / xi) * sum;
}
