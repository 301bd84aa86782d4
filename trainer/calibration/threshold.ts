import type { ReferenceQuantiles } from '../../shared/bundle/manifest.js';

/**
 * Threshold at a target false-alarm rate: the smallest held-out score such that at most `targetFar` of the
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
