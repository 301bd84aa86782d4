import type { ReferenceQuantiles } from '../bundle/manifest.js';

/**
 * Share of normal reference windows scoring above `score`, read off the reference quantiles (a CDF sampled at
 * `scores[i] -> probs[i]`) with linear interpolation between points. Below the lowest quantile it is 1; it is
 * clamped to [pValueFloor(ref), 1] because a finite reference cannot support anything rarer.
 */
export function pValueOf(ref: ReferenceQuantiles, score: number): number {
  const { probs, scores } = ref;
  const hi = firstAbove(scores, score);
  let survival: number;
  if (hi === 0) survival = 1;
  else if (hi === scores.length) survival = 1 - probs[scores.length - 1];
  else {
    const lo = hi - 1;
    const t = (score - scores[lo]) / (scores[hi] - scores[lo]);
    survival = 1 - (probs[lo] + t * (probs[hi] - probs[lo]));
  }
  return Math.min(1, Math.max(pValueFloor(ref), survival));
}

/**
 * 1/(count+1) when the reference says how many windows it summarizes. Otherwise the finest tail the table
 * resolves (the smallest positive 1 - probs[i]), which is what the quantiles alone can back up.
 */
export function pValueFloor(ref: ReferenceQuantiles): number {
  if (ref.count !== undefined) return 1 / (ref.count + 1);
  let floor = 1;
  for (const p of ref.probs) if (p < 1 && 1 - p < floor) floor = 1 - p;
  return floor < 1 ? floor : 1 / (ref.probs.length + 1);
}

/** Index of the first element strictly greater than `x` in an ascending array (its length when none). */
function firstAbove(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
