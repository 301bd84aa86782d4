import type { ReferenceQuantiles } from '../bundle/manifest.js';
import { tailSurvival } from '../stats/pot-tail.js';

/**
 * Share of normal reference windows expected to score above `score`.
 *
 * Below the tail (or without one: bundles from before the tail fit) it is read off the reference quantiles (a
 * CDF sampled at `scores[i] -> probs[i]`) with linear interpolation between points: 1 below the lowest quantile,
 * clamped to [pValueFloor(ref), 1] because a finite sample cannot support anything rarer.
 *
 * With `ref.tail` (a GPD fitted to the excesses over tail.u, the fit that set the threshold), scores above u take
 * the model's survival ζ·S_GPD(score − u): the extrapolation the threshold relies on, so no 1/(n+1) floor. At and
 * below u the empirical value is held at ≥ ζ, so p never rises with the score across u (the interpolated
 * quantiles and ζ = N_u/n can differ by ~1/n there).
 */
export function pValueOf(ref: ReferenceQuantiles, score: number): number {
  const tail = ref.tail;
  if (tail && score > tail.u) return tailSurvival(tail, score);
  const empirical = empiricalSurvival(ref, score);
  if (tail) return Math.min(1, Math.max(tail.zeta, empirical));
  return Math.min(1, Math.max(pValueFloor(ref), empirical));
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

function empiricalSurvival(ref: ReferenceQuantiles, score: number): number {
  const { probs, scores } = ref;
  const hi = firstAbove(scores, score);
  if (hi === 0) return 1;
  if (hi === scores.length) return 1 - probs[scores.length - 1];
  const lo = hi - 1;
  const t = (score - scores[lo]) / (scores[hi] - scores[lo]);
  return 1 - (probs[lo] + t * (probs[hi] - probs[lo]));
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
