import type { ModelVariant } from '../../shared/bundle/manifest.js';

/** Golden windows per label (normal, anomalous): 16 windows score in well under a millisecond on the device. */
export const GOLDEN_PER_LABEL = 8;

/**
 * Relative distance golden windows keep from both variants' thresholds. 100x the self-test's score tolerance
 * (runtime/self-test.ts), so on an engine that passes the score check no golden window can change sides and
 * the threshold rule (shared/bundle/golden.ts) holds for every bundle as trained.
 */
export const THRESHOLD_MARGIN = 0.01;

export type VariantScores = Record<ModelVariant, ArrayLike<number>>;

/**
 * Indices of up to `count` windows that score clearly below (`normal`) or clearly above (`anomalous`) the
 * threshold of both variants and are `stable`, spread evenly over their fp32 score ranks: normal ones from
 * quiet to nearly alerting, anomalous ones from just over the threshold to the strongest fault.
 */
export function pickGolden(
  scores: VariantScores,
  thresholds: Record<ModelVariant, number>,
  side: 'normal' | 'anomalous',
  stable: (i: number) => boolean,
  count = GOLDEN_PER_LABEL,
): number[] {
  const clear = (v: ModelVariant, i: number) => {
    const s = scores[v][i]!;
    return side === 'normal'
      ? s > 0 && s < thresholds[v] * (1 - THRESHOLD_MARGIN)
      : s > thresholds[v] * (1 + THRESHOLD_MARGIN);
  };
  const candidates: number[] = [];
  for (let i = 0; i < scores.fp32.length; i++) {
    if (clear('fp32', i) && clear('int8', i) && stable(i)) candidates.push(i);
  }
  candidates.sort((a, b) => scores.fp32[a]! - scores.fp32[b]! || a - b);
  if (candidates.length <= count) return candidates;
  if (count === 1) return [candidates[candidates.length >> 1]!];
  return Array.from(
    { length: count },
    (_, k) => candidates[Math.round((k * (candidates.length - 1)) / (count - 1))]!,
  );
}
