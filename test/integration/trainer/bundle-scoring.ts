import { openBundleRuntime } from '../../../runtime/open-bundle.js';
import { streamScores } from '../../../runtime/stream-scores.js';
import type { Manifest } from '../../../shared/bundle/manifest.js';

/**
 * Scores a recording with both variants of a bundle the way the device does: the bundle opened by the runtime's
 * opener, the samples streamed through the daemon's pipeline (windows -> shared features -> ORT -> scorer).
 */
export async function scoreWithBundle(dir: string, samples: Float32Array) {
  const scores = {} as Record<'fp32' | 'int8', Float64Array>;
  for (const variant of ['fp32', 'int8'] as const) {
    const bundle = await openBundleRuntime(dir, { variant });
    try {
      const windows = await streamScores(samples, bundle.manifest.features, bundle.extractor, bundle.scorer);
      scores[variant] = Float64Array.from(windows, (w) => w.score);
    } finally {
      await bundle.close();
    }
  }
  return scores;
}

export function shareAbove(scores: Float64Array, threshold: number): number {
  return scores.filter((s) => s > threshold).length / scores.length;
}

export function sameDecisions(m: Manifest, s: Record<'fp32' | 'int8', Float64Array>): number {
  let same = 0;
  for (let i = 0; i < s.fp32.length; i++) {
    if (s.fp32[i] > m.variants.fp32.threshold === s.int8[i] > m.variants.int8.threshold) same++;
  }
  return same / s.fp32.length;
}
