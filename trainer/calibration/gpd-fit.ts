import { gpdLogLikelihood } from '../../shared/stats/gpd.js';

/**
 * A GPD fitted to excesses, and how: maximum likelihood, probability-weighted moments when MLE fails, or the
 * exponential (ξ = 0, σ = mean excess: its MLE) when a free shape is not significantly better (tail-fit.ts).
 */
export interface GpdFit {
  sigma: number;
  xi: number;
  method: 'mle' | 'pwm' | 'exponential';
  logLikelihood: number;
}

/**
 * Maximum-likelihood GPD fit by Grimshaw's reduction (Grimshaw 1993, Technometrics 35(2); used by SPOT,
 * Siffer et al. 2017, section 3.3). With x = ξ/σ, the likelihood maximized over ξ for fixed x gives
 * ξ(x) = mean ln(1 + x·y), so the search is one-dimensional; its stationary points are the roots of
 *   w(x) = u(x)·v(x) − 1,  u(x) = mean 1/(1 + x·y),  v(x) = 1 + mean ln(1 + x·y),
 * and d(profile log-likelihood)/dx = N·w(x)/(x·ξ(x)) with x·ξ(x) > 0, so a root where w turns from + to − is a
 * local maximum. Roots are bracketed on a grid over Grimshaw's intervals (−1/y_max, 0) and
 * (0, 2(ȳ − y_min)/y_min²] and polished by bisection; the exponential (x → 0: ξ = 0, σ = ȳ) is also a
 * candidate, as in SPOT. Maxima with ξ ≤ −1 are refused (the likelihood is unbounded there, Smith 1985).
 * Returns undefined when no local maximum exists (the likelihood climbs to the ξ ≤ −1 boundary).
 */
export function gpdMle(y: ArrayLike<number>): GpdFit | undefined {
  const n = y.length;
  if (n < 2) return undefined;
  let mean = 0;
  let ymin = Number.POSITIVE_INFINITY;
  let ymax = 0;
  for (let i = 0; i < n; i++) {
    mean += y[i] / n;
    ymin = Math.min(ymin, y[i]);
    ymax = Math.max(ymax, y[i]);
  }
  if (!(ymax > 0) || !(ymin >= 0)) return undefined;
  const w = (x: number) => {
    let u = 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const z = x * y[i];
      u += 1 / (1 + z);
      v += Math.log1p(z);
    }
    return (u / n) * (1 + v / n) - 1;
  };
  const candidates: GpdFit[] = [
    { sigma: mean, xi: 0, method: 'mle', logLikelihood: gpdLogLikelihood(y, mean, 0) },
  ];
  let interior = 0;
  const grid = searchGrid(ymax, mean, ymin);
  let prevX = grid[0];
  let prevW = w(prevX);
  for (let j = 1; j < grid.length; j++) {
    const x = grid[j];
    const wx = w(x);
    if (prevW > 0 && wx < 0) {
      const root = bisect(w, prevX, x);
      let xi = 0;
      for (let i = 0; i < n; i++) xi += Math.log1p(root * y[i]) / n;
      const sigma = xi / root;
      if (xi > -1 && sigma > 0 && Number.isFinite(sigma)) {
        interior++;
        candidates.push({ sigma, xi, method: 'mle', logLikelihood: gpdLogLikelihood(y, sigma, xi) });
      }
    }
    prevX = x;
    prevW = wx;
  }
  if (interior === 0) return undefined;
  return candidates.reduce((a, b) => (b.logLikelihood > a.logLikelihood ? b : a));
}

/**
 * x values to bracket roots on, ascending, 0 excluded: in (−1/y_max, 0) dense towards both ends (s = −x·y_max
 * from 1e-6 to 1 − 1e-9), in (0, x_max] geometric in x·ȳ from 1e-6 (x_max = Grimshaw's bound, capped).
 */
function searchGrid(ymax: number, mean: number, ymin: number): number[] {
  const STEPS = 30;
  const neg: number[] = [];
  for (let j = 0; j <= STEPS; j++) neg.push(1e-6 * (0.5 / 1e-6) ** (j / STEPS));
  for (let j = STEPS - 1; j >= 0; j--) neg.push(1 - 1e-9 * (0.5 / 1e-9) ** (j / STEPS));
  const bound = ymin > 0 ? (2 * (mean - ymin)) / (ymin * ymin) : Number.POSITIVE_INFINITY;
  const topT = Math.min(Math.max(bound * mean, 1e-3), 1e6);
  const pos: number[] = [];
  for (let j = 0; j <= STEPS; j++) pos.push((1e-6 * (topT / 1e-6) ** (j / STEPS)) / mean);
  const negX = [...new Set(neg)].map((s) => -s / ymax).sort((a, b) => a - b);
  return [...negX, ...pos];
}

function bisect(f: (x: number) => number, lo: number, hi: number): number {
  // Invariant: f(lo) > 0 > f(hi).
  for (let i = 0; i < 200 && hi - lo > 1e-10 * Math.abs(lo); i++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * GPD fit by probability-weighted moments (Hosking & Wallis 1987, Technometrics 29(3)): with the sorted excesses
 * y_(1) ≤ … ≤ y_(N), a0 = ȳ and a1 = (1/N)·Σ (1 − p_i)·y_(i), p_i = (i − 0.35)/N, their k = a0/(a0 − 2a1) − 2
 * and σ = 2·a0·a1/(a0 − 2a1); ξ = −k. Closed form, defined for ξ < 1; the robust fallback when MLE fails.
 */
export function gpdPwm(y: ArrayLike<number>): GpdFit | undefined {
  const n = y.length;
  if (n < 2) return undefined;
  const sorted = Float64Array.from(y).sort();
  let a0 = 0;
  let a1 = 0;
  for (let i = 0; i < n; i++) {
    a0 += sorted[i] / n;
    a1 += ((1 - (i + 1 - 0.35) / n) * sorted[i]) / n;
  }
  const d = a0 - 2 * a1;
  if (!(d > 0) || !(a0 > 0)) return undefined;
  const sigma = (2 * a0 * a1) / d;
  const xi = 2 - a0 / d;
  if (!(sigma > 0) || !Number.isFinite(xi)) return undefined;
  return { sigma, xi, method: 'pwm', logLikelihood: gpdLogLikelihood(y, sigma, xi) };
}

/** MLE when it has a maximum, else PWM; undefined when neither gives a usable fit. */
export function fitGpd(y: ArrayLike<number>): GpdFit | undefined {
  return gpdMle(y) ?? gpdPwm(y);
}
