import { from, lastValueFrom, map, toArray } from 'rxjs';
import type { ScoredWindow } from '../shared/detector/types.js';
import type { FeatureSpec } from '../shared/features/spec.js';
import { windowCount } from '../shared/windowing.js';
import { emptyPipelineCounters, scoredWindows } from './alert-pipeline.js';
import type { SampleEvent } from './operators/decode-samples.js';
import type { BatchScorer } from './operators/score-batches.js';
import type { WindowFeaturizer } from './operators/to-features.js';

export interface StreamOptions {
  /** Samples per channel handed to the windower at a time, like serial reads (results do not depend on it). */
  chunk?: number;
  /** Windows per inference call, as on the device. */
  maxBatch?: number;
  sensorId?: number;
}

/**
 * Scores one recording through the daemon's own pipeline (`scoredWindows` of alert-pipeline.ts, from sample
 * batches on: toWindows -> toFeatures -> scoreBatches, micro-batched). The queue is sized to the recording so
 * that replaying a file faster than real time drops no window (the device counts drops; an evaluation must not
 * have any). Returns the scored windows in stream order.
 */
export async function streamScores(
  samples: Float32Array,
  spec: FeatureSpec,
  extractor: WindowFeaturizer,
  scorer: BatchScorer,
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
  const counters = emptyPipelineCounters();
  const scored = await lastValueFrom(
    scoredWindows(
      { kind: 'samples', samples$: from(events) },
      {
        spec,
        extractor,
        scorer,
        batching: { maxBatch, maxDelayMs: 0, maxQueue: Math.max(maxBatch, expected + maxBatch) },
        counters,
      },
    ).pipe(
      map(({ scoredAtMs: _scoredAt, ...window }) => window),
      toArray(),
    ),
  );
  const { dropped } = counters.inference;
  if (dropped > 0 || scored.length !== expected) {
    throw new Error(`streamScores: ${scored.length} of ${expected} windows scored (${dropped} dropped)`);
  }
  return scored;
}
