import { from, lastValueFrom, map, toArray } from 'rxjs';
import type { ScoredWindow } from '../shared/detector/types.js';
import type { FeatureExtractor } from '../shared/features/extractor.js';
import type { FeatureSpec } from '../shared/features/spec.js';
import { windowCount } from '../shared/windowing.js';
import type { SampleEvent } from './operators/decode-samples.js';
import { scoreBatches } from './operators/score-batches.js';
import { toFeatures } from './operators/to-features.js';
import { toWindows } from './operators/to-windows.js';
import type { InferenceEngine } from './scoring/inference-engine.js';
import { createScorer } from './scoring/scorer.js';

export interface StreamOptions {
  /** Samples per channel handed to the windower at a time, like serial reads (results do not depend on it). */
  chunk?: number;
  /** Windows per inference call, as on the device. */
  maxBatch?: number;
  sensorId?: number;
}

/**
 * Scores one recording through the device's own operators: sample batches -> toWindows -> toFeatures (the
 * shared FeatureExtractor) -> scoreBatches (createScorer over an InferenceEngine, micro-batched). The queue is
 * sized to the recording so that replaying a file faster than real time drops no window (the device counts
 * drops; an evaluation must not have any). Returns the scored windows in stream order.
 */
export async function streamScores(
  samples: Float32Array,
  spec: FeatureSpec,
  extractor: FeatureExtractor,
  engine: InferenceEngine,
  options: StreamOptions = {},
): Promise<ScoredWindow[]> {
  const { channels } = spec;
  const chunk = Math.max(1, options.chunk ?? 4096);
  const maxBatch = options.maxBatch ?? 64;
  const sensorId = options.sensorId ?? 0;
  const total = samples.length / channels;
  const events: SampleEvent[] = [];
  for (let start = 0; start < total; start += chunk) {
    const end = Math.min(total, start + chunk);
    events.push({
      type: 'samples',
      batch: { sensorId, channels, samples: samples.subarray(start * channels, end * channels) },
    });
  }
  const expected = windowCount(total, spec);
  const counters = { windows: 0, scored: 0, dropped: 0, batches: 0, inferenceMs: 0, maxQueued: 0 };
  const scored = await lastValueFrom(
    from(events).pipe(
      toWindows(spec),
      toFeatures(extractor),
      scoreBatches(createScorer(engine, extractor.groups), {
        maxBatch,
        maxDelayMs: 0,
        maxQueue: Math.max(maxBatch, expected + maxBatch),
        counters,
      }),
      map(({ scoredAtMs: _scoredAt, ...window }) => window),
      toArray(),
    ),
  );
  if (counters.dropped > 0 || scored.length !== expected) {
    throw new Error(
      `streamScores: ${scored.length} of ${expected} windows scored (${counters.dropped} dropped)`,
    );
  }
  return scored;
}
