import type { ReferenceQuantiles } from '../../shared/bundle/manifest.js';
import { type PotTail, tailQuantile } from '../../shared/stats/pot-tail.js';
import { bootstrapFar, type FarInterval, noExceedanceInterval } from './far-interval.js';
import { fitTail, POT_DEFAULTS, type PotOptions, type TailFitResult } from './tail-fit.js';

/** A variant's threshold, how it was set, and the false-alarm rate it is expected to give. */
export interface ThresholdCalibration {
  threshold: number;
  method: 'gpd-tail' | 'conservative';
  /** The tail the threshold was read from (stored in the bundle for p-values); absent for `conservative`. */
  tail?: PotTail;
  /** Expected false-alarm rate per window at the threshold, 90 % interval. */
  far: FarInterval;
  /** The POT fit, also when it was refused. */
  fit: TailFitResult;
  /** Why the tail was not used (conservative rule), in words. */
  fallback?: string;
}

/**
 * Sets the threshold at target false-alarm rate q from held-out normal scores (in time order):
 * - `gpd-tail`: SPOT's peaks-over-threshold fit (tail-fit.ts) and its quantile at q, which extrapolates beyond
 *   the largest holdout score, so a few dozen windows can serve q = 0.001; the expected rate is q with a
 *   moving-block bootstrap interval (far-interval.ts);
 * - `conservative`, when the fit is refused (too few excesses, implausible shape): the higher of the holdout
 *   maximum and the exponential tail's quantile u + ȳ·ln(ζ/q) (ξ = 0, σ = the mean excess over u). For the light
 *   tails of squared errors the exponential over-states rare rates, and nothing normal seen may be flagged; the
 *   interval is then Clopper-Pearson on "no holdout window above it".
 * The choice of the GPD over a gamma fit of the whole score distribution (DCASE's baseline) rests on the
 * out-of-sample calibration study in bench/results/tail-fit.md.
 */
export function calibrateThreshold(scores: ArrayLike<number>, q: number): ThresholdCalibration {
  const { far, ...rule } = tailThreshold(scores, q);
  return {
    ...rule,
    far:
      rule.method === 'gpd-tail'
        ? bootstrapFar(scores, rule.threshold, q, q)
        : noExceedanceInterval(scores.length, far),
  };
}

/** calibrateThreshold without the interval (its bootstrap is the costly part): `far` is the point estimate. */
export function tailThreshold(
  scores: ArrayLike<number>,
  q: number,
  options: PotOptions = POT_DEFAULTS,
): Omit<ThresholdCalibration, 'far'> & { far: number } {
  if (scores.length === 0) throw new Error('calibrateThreshold: no scores');
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`calibrateThreshold: score ${i} is ${scores[i]}`);
    max = Math.max(max, scores[i]);
  }
  const fit = fitTail(scores, q, options);
  if (fit.tail)
    return { threshold: tailQuantile(fit.tail, q), method: 'gpd-tail', tail: fit.tail, far: q, fit };
  const zeta = fit.excesses / fit.n;
  const exponential = fit.excesses > 0 && fit.meanExcess > 0 && q < zeta;
  const threshold = Math.max(max, exponential ? fit.u + fit.meanExcess * Math.log(zeta / q) : max);
  const estimate = exponential
    ? zeta * Math.exp(-(threshold - fit.u) / fit.meanExcess)
    : 1 / (scores.length + 1);
  return { threshold, method: 'conservative', far: Math.min(estimate, q), fit, fallback: fit.refused };
}

/**
 * The empirical rule (the trainer's threshold before the tail fit, kept as the baseline of the calibration
 * study): the smallest held-out score such that at most `targetFar` of the
 * held-out windows score above it (sorted ascending s, n windows: s[ceil((1 - far) * n) - 1]). No
 * interpolation, so the empirical FAR on the holdout never exceeds the target. When n < 1 / far the rule
 * gives the holdout maximum: the holdout cannot resolve rates below 1/n (reported as `farResolution`).
 */
export function thresholdAt(scores: ArrayLike<number>, targetFar: number): number {
  const sorted = Float64Array.from(scores).sort();
  if (sorted.length === 0) throw new Error('thresholdAt: no scores');
  const k = Math.min(sorted.length, Math.max(1, Math.ceil((1 - targetFar) * sorted.length)));
  return sorted[k - 1];
}

/** Linear-interpolated quantile of ascending `sorted` (type 7, as numpy's default). */
export function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** 0..0.9 by 0.01, 0.9..0.99 by 0.0025, 0.99..0.999 by 0.0005, then 0.9995, 0.9999, 1: dense in the tail. */
export function referenceProbs(): number[] {
  const probs: number[] = [];
  for (let i = 0; i < 90; i++) probs.push(i / 100);
  for (let i = 0; i < 36; i++) probs.push(0.9 + i * 0.0025);
  for (let i = 0; i < 18; i++) probs.push(0.99 + i * 0.0005);
  probs.push(0.999, 0.9995, 0.9999, 1);
  return probs.map((p) => Number(p.toFixed(6)));
}

/** Score quantiles of held-out normal windows, for p-values on the device. */
export function referenceQuantiles(scores: ArrayLike<number>): ReferenceQuantiles {
  const sorted = Float64Array.from(scores).sort();
  const probs = referenceProbs();
  return { probs, scores: probs.map((p) => quantile(sorted, p)) };
}

/** Share of `scores` above `threshold`. */
export function exceedRate(scores: ArrayLike<number>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > threshold) n++;
  return scores.length ? n / scores.length : 0;
}
