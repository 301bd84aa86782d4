import { gpdLogLikelihood } from '../../shared/stats/gpd.js';
import type { PotTail } from '../../shared/stats/pot-tail.js';
import { fitGpd, type GpdFit } from './gpd-fit.js';

/**
 * Peaks over threshold, as SPOT initializes it (Siffer et al., KDD 2017, algorithm 1): the initial threshold u is
 * a high empirical quantile of the normal scores, the excesses over it are fitted with a GPD (MLE by Grimshaw's
 * reduction, PWM when MLE fails; the exponential unless the data reject it, see LRT_CRITICAL), and the alert
 * threshold at a target rate q is z_q = u + σ/ξ·((q·n/N_u)^(−ξ) − 1).
 *
 * How many excesses (N_u):
 * - 5 % of the windows on large holdouts (SPOT starts at the 98 % quantile of a long stream; in the calibration
 *   study, bench/results/tail-fit.md, 2 % had a mean |log2(realized/target)| of 2.33 on real normal scores
 *   against 1.55 for 5 %, and 0.98 against 0.96 in simulation);
 * - at least 20 excesses (at most half the windows), so a few dozen windows still give a fit: the GPD is an
 *   asymptotic model, and a lower u trades some bias for the variance 3 excesses would have;
 * - at least 2·q·n, so the target rate lies inside the modelled tail (q ≤ ζ/2);
 * - at most 1000, which bounds the cost of the fit and its bootstrap (u then sits above the 95 % quantile).
 */
export const TAIL_SHARE = 0.05;
export const MIN_EXCESSES_WANTED = 20;
export const MAX_EXCESSES = 1000;

/**
 * Guards: a fit outside these is not trusted (the threshold falls back to the conservative rule).
 * - fewer than 10 excesses: two parameters from fewer points is noise;
 * - ξ < −0.5: the MLE is not regular there (Smith 1985) and the fitted upper endpoint u + σ/|ξ| would cap every
 *   extrapolation, which under-estimates rare rates if the endpoint is estimated low;
 * - ξ ≥ 1: a tail without a finite mean, not the law of a bounded-energy score; it signals a few contaminating
 *   outliers in the holdout, and extrapolating it would put the threshold orders of magnitude above anything
 *   normal. (The first draft refused ξ > 0.5; real SKAB normal scores have ξ ≈ 0.6 with 186 excesses and a
 *   deviance of 148 against the exponential, so heavy tails are real: bench/results/tail-fit.md.)
 */
export const MIN_EXCESSES = 10;
export const XI_RANGE: readonly [number, number] = [-0.5, 1];

/**
 * The exponential tail (ξ = 0) is kept unless the GPD fits the excesses significantly better: deviance
 * 2·(ℓ_GPD − ℓ_exp) above the χ²(1) 95 % point, the likelihood-ratio test of the nested model (Coles 2001, 2.6.6).
 * Squared-error scores of light-tailed features have ξ = 0 tails in the limit, and with 20-50 excesses the free
 * ξ's sampling error (sd ≈ (1 + ξ)/√N_u ≈ 0.2) and its small-sample negative bias cost more than they buy:
 * mean |log2(realized/target)| 0.96 with the test against 1.20 with ξ always free in simulation, 1.55 against
 * 1.70 on real normal scores (bench/results/tail-fit.md). Real heavy tails are still found: SKAB's normal run
 * gives ξ ≈ 0.6 at a deviance of 148.
 */
export const LRT_CRITICAL = 3.841458820694124;

export interface TailFitResult {
  /** The tail when the fit passed the guards. */
  tail?: PotTail;
  /** The selected fit (also when the guards refused it), for reports. */
  fit?: GpdFit;
  /** 2·(ℓ_GPD − ℓ_exponential): how much a free shape improved on the exponential tail. */
  deviance?: number;
  u: number;
  excesses: number;
  n: number;
  /** Why the fit is not trusted, in words (undefined when it is). */
  refused?: string;
  /** Mean excess over u: the exponential tail's σ, used by the conservative rule. */
  meanExcess: number;
}

/**
 * The two choices above, as knobs only for the calibration study (eval/quality/tail-study.ts compares SPOT's
 * 2 % and a free shape with them); the trainer always uses the defaults.
 */
export interface PotOptions {
  tailShare: number;
  exponentialTest: boolean;
}
export const POT_DEFAULTS: PotOptions = { tailShare: TAIL_SHARE, exponentialTest: true };

/** N_u for n windows and target rate q (see above), at least 1 and at most n − 1. */
export function excessCount(n: number, q: number, o: PotOptions = POT_DEFAULTS): number {
  const wanted = Math.max(
    Math.ceil(o.tailShare * n),
    Math.ceil(2 * q * n),
    Math.min(MIN_EXCESSES_WANTED, Math.floor(n / 2)),
  );
  return Math.max(1, Math.min(wanted, MAX_EXCESSES, n - 1));
}

/** Fits the POT tail of `scores` for target rate q. Pure; scores need not be sorted. */
export function fitTail(scores: ArrayLike<number>, q: number, o: PotOptions = POT_DEFAULTS): TailFitResult {
  const n = scores.length;
  return fitTop(largest(Float64Array.from(scores), excessCount(n, q, o) + 1), n, q, o);
}

/**
 * The k largest of `values`, ascending (values is reordered): a quickselect partition, then a sort of the k
 * alone, so a bootstrap replicate costs O(n) rather than a full sort.
 */
export function largest(values: Float64Array, k: number): Float64Array {
  const n = values.length;
  if (k >= n) return values.sort();
  const target = n - k; // values[target..] will hold the k largest
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values.subarray(target).sort();
}

/**
 * The fit from the N_u + 1 largest of n scores, ascending (`top[0]` becomes u, the largest score that is not an
 * excess).
 */
export function fitTop(top: Float64Array, n: number, q: number, o: PotOptions = POT_DEFAULTS): TailFitResult {
  if (n < 2 || top.length < 2) {
    return { u: top[0] ?? 0, excesses: 0, n, refused: `${n} window(s)`, meanExcess: 0 };
  }
  const u = top[0];
  // Excesses are strictly above u: ties at u carry no tail information.
  let first = 1;
  while (first < top.length && top[first] <= u) first++;
  const y = new Float64Array(top.length - first);
  let meanExcess = 0;
  for (let i = first; i < top.length; i++) {
    y[i - first] = top[i] - u;
    meanExcess += y[i - first] / y.length;
  }
  const base = { u, excesses: y.length, n, meanExcess };
  if (y.length < MIN_EXCESSES) {
    return { ...base, refused: `only ${y.length} scores above the initial threshold (need ${MIN_EXCESSES})` };
  }
  const exponential: GpdFit = {
    sigma: meanExcess,
    xi: 0,
    method: 'exponential',
    logLikelihood: gpdLogLikelihood(y, meanExcess, 0),
  };
  const gpd = fitGpd(y);
  const deviance = gpd ? 2 * (gpd.logLikelihood - exponential.logLikelihood) : 0;
  const fit = gpd && (deviance > LRT_CRITICAL || !o.exponentialTest) ? gpd : exponential;
  if (!(fit.xi >= XI_RANGE[0] && fit.xi < XI_RANGE[1])) {
    return {
      ...base,
      fit,
      deviance,
      refused: `fitted tail shape ξ = ${fit.xi.toFixed(2)} is outside the plausible [${XI_RANGE[0]}, ${XI_RANGE[1]})`,
    };
  }
  const tail: PotTail = {
    kind: 'gpd',
    u,
    zeta: y.length / n,
    sigma: fit.sigma,
    xi: fit.xi,
    excesses: y.length,
  };
  if (!(q <= tail.zeta)) {
    return {
      ...base,
      fit,
      deviance,
      refused: `target rate ${q} is above the modelled tail share ${tail.zeta}`,
    };
  }
  return { ...base, fit, deviance, tail };
}
