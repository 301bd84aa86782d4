import { ThrumError } from '../shared/errors.js';
import type { FeatureExtractor } from '../shared/features/extractor.js';
import type { FeatureSpec } from '../shared/features/spec.js';
import { slidingWindows, windowCount } from '../shared/windowing.js';
import type { Recording } from './loaders/recording.js';

/** Each recording cut in time: [train | validation | holdout]. Windows never cross a cut. */
export interface Segments {
  train: Float32Array[];
  val: Float32Array[];
  holdout: Float32Array[];
}

/**
 * Splits every recording by time (not by random windows: overlapping windows would leak across a random
 * split): the last `holdout` share is held out for threshold calibration, the `valSplit` share before it
 * drives early stopping and int8 calibration, the rest trains.
 */
export function splitRecordings(recordings: Recording[], holdout: number, valSplit: number): Segments {
  const segments: Segments = { train: [], val: [], holdout: [] };
  for (const r of recordings) {
    const n = r.samples.length / r.channels;
    const holdStart = Math.round(n * (1 - holdout));
    const valStart = Math.round(holdStart * (1 - valSplit));
    const cut = (a: number, b: number) => r.samples.subarray(a * r.channels, b * r.channels);
    segments.train.push(cut(0, valStart));
    segments.val.push(cut(valStart, holdStart));
    segments.holdout.push(cut(holdStart, n));
  }
  return segments;
}

export function countWindows(parts: Float32Array[], spec: FeatureSpec): number {
  return parts.reduce((sum, p) => sum + windowCount(p.length / spec.channels, spec), 0);
}

/** Checks each part yields windows, with an error that says which knob to turn. */
export function requireWindows(segments: Segments, spec: FeatureSpec, samples: number): void {
  for (const part of ['train', 'holdout'] as const) {
    if (countWindows(segments[part], spec) === 0) {
      const longest = Math.max(...segments[part].map((p) => p.length / spec.channels));
      throw new ThrumError(
        'BAD_DATA',
        `the ${part} part of the data (${longest} of ${samples} samples per channel in the longest file) is shorter than one ` +
          `window of ${spec.window}: give more data, a smaller --window, or ${part === 'train' ? 'a smaller --holdout' : 'a larger --holdout'}`,
      );
    }
  }
}

/** Normalized feature vectors of every window of the parts, row-major [windows, extractor.size]. */
export function featureMatrix(
  parts: Float32Array[],
  extractor: FeatureExtractor,
  spec: FeatureSpec,
): Float32Array {
  const out = new Float32Array(countWindows(parts, spec) * extractor.size);
  let row = 0;
  for (const part of parts) {
    for (const { view } of slidingWindows(part, spec)) extractor.extract(view, out, row++ * extractor.size);
  }
  return out;
}

/** `count` copies of the raw windows of the parts, cycling through them, concatenated (for synthetic anomalies). */
export function rawWindows(parts: Float32Array[], spec: FeatureSpec, count: number): Float32Array {
  const size = spec.window * spec.channels;
  const out = new Float32Array(count * size);
  if (countWindows(parts, spec) === 0) return new Float32Array(0);
  let row = 0;
  while (row < count) {
    for (const part of parts) {
      for (const { view } of slidingWindows(part, spec)) {
        if (row >= count) return out;
        out.set(view, row++ * size);
      }
    }
  }
  return out;
}
