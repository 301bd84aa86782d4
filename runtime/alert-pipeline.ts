import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import type { DecoderCounters, WireFormat } from '../shared/protocol/types.js';
import type { WindowSpec } from '../shared/windowing.js';
import { decodeSamples } from './operators/decode-samples.js';
import {
  type BatchScorer,
  emptyScoringCounters,
  type ScoringCounters,
  scoreBatches,
} from './operators/score-batches.js';
import { toFeatures, type WindowFeaturizer } from './operators/to-features.js';
import { emptyWindowCounters, toWindows, type WindowCounters } from './operators/to-windows.js';
import type { ScoredWindow } from './operators/windows.js';

export interface SensorPipelineOptions {
  format: WireFormat;
  /** csv only: the sensor id of every line, and the expected column count. */
  sensorId: number;
  channels: number;
  spec: WindowSpec & { sampleRate: number };
  extractor: WindowFeaturizer;
  scorer: BatchScorer;
  maxBatch: number;
  maxDelayMs: number;
  /** Default 8 x maxBatch (scoreBatches' default). */
  maxQueue?: number;
  /** Called for every malformed line or frame (already counted). */
  onBad?: (reason: string, bytes: number) => void;
  scheduler?: SchedulerLike;
}

export interface PipelineCounters {
  frames: DecoderCounters;
  windows: WindowCounters;
  inference: ScoringCounters;
}

export function emptyPipelineCounters(): PipelineCounters {
  return {
    frames: { bytes: 0, samples: 0, records: 0, bad: 0, gaps: 0, missingFrames: 0 },
    windows: emptyWindowCounters(),
    inference: emptyScoringCounters(),
  };
}

/** The data path of the README: bytes -> samples -> windows -> features -> scored windows (micro-batched). */
export function scoredWindows(
  bytes$: Observable<Uint8Array>,
  options: SensorPipelineOptions,
  counters: PipelineCounters,
): Observable<ScoredWindow> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return bytes$.pipe(
    decodeSamples(options.format, {
      channels: options.channels,
      sensorId: options.sensorId,
      counters: counters.frames,
      onBad: options.onBad,
    }),
    toWindows(options.spec, { counters: counters.windows }, scheduler),
    toFeatures(options.extractor),
    scoreBatches(
      options.scorer,
      {
        maxBatch: options.maxBatch,
        maxDelayMs: options.maxDelayMs,
        maxQueue: options.maxQueue,
        counters: counters.inference,
      },
      scheduler,
    ),
  );
}
