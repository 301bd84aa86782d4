import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../../shared/bundle/manifest.js';
import { FeatureExtractor } from '../../../shared/features/extractor.js';
import { featureMatrix } from '../../../trainer/dataset.js';
import { openSession, scoreAll } from '../../../trainer/onnx/ort-session.js';

/** Scores a recording with both variants of a bundle, the way the device does (features -> ORT -> MSE). */
export async function scoreWithBundle(dir: string, manifest: Manifest, samples: Float32Array) {
  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  const x = featureMatrix([samples], extractor, manifest.features);
  const scores = {} as Record<'fp32' | 'int8', Float64Array>;
  for (const variant of ['fp32', 'int8'] as const) {
    const session = await openSession(readFileSync(join(dir, manifest.files[variant].path)));
    scores[variant] = await scoreAll(session, x, extractor.size);
    await session.release();
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
