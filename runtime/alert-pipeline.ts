import { asyncScheduler, type Observable, type SchedulerLike, tap } from 'rxjs';
import type { DetectorRule, VariantCalibration } from '../shared/bundle/manifest.js';
import type { DetectorEvent } from '../shared/detector/types.js';
import type { CsvTimestamp } from '../shared/protocol/csv-decoder.js';
import type { DecoderCounters, SampleBatch, WireFormat } from '../shared/protocol/types.js';
import type { WindowSpec } from '../shared/windowing.js';
import { decodeSamples, type SampleEvent } from './operators/decode-samples.js';
import { detect } from './operators/detect.js';
import {
  type BatchScorer,
  emptyScoringCounters,
  type ScoringCounters,
  scoreBatches,
} from './operators/score-batches.js';
import { toFeatures, type WindowFeaturizer } from './operators/to-features.js';
import { emptyWindowCounters, toWindows, type WindowCounters } from './operators/to-windows.js';
import type { TimedScoredWindow } from './operators/windows.js';

/** Where the pipeline's input comes from: wire bytes (decoded here) or sample events already decoded. */
export type PipelineInput =
  | {
      kind: 'bytes';
      bytes$: Observable<Uint8Array>;
      format: WireFormat;
      sensorId: number;
      channels: number;
      /** csv: with it, `t_us` jumps are gaps (no window spans them); see CsvDecoderOptions.sampleRate. */
      sampleRate?: number;
      /** csv: whether lines start with a µs timestamp (default none). */
      csvTimestamp?: CsvTimestamp;
    }
  | { kind: 'samples'; samples$: Observable<SampleEvent> };

export interface AlertPipelineDeps {
  spec: WindowSpec & { sampleRate: number };
  extractor: WindowFeaturizer;
  scorer: BatchScorer;
  detector: { rule: DetectorRule; calibration: Pick<VariantCalibration, 'threshold' | 'reference'> };
  batching: { maxBatch: number; maxDelayMs: number; maxQueue?: number };
  counters?: PipelineCounters;
  /** Called for every scored window before the detector sees it (score summaries, eval's score list). */
  onScored?: (window: TimedScoredWindow) => void;
  /** Called for every malformed line or frame (already counted). */
  onBad?: (reason: string, bytes: number) => void;
  /** Called for every decoded sample batch, as it arrives (the daemon measures the received sample rate). */
  onSamples?: (batch: SampleBatch) => void;
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

/**
 * The data path of the README, the one place it is assembled: bytes -> decodeSamples -> toWindows ->
 * toFeatures -> scoreBatches (micro-batched) -> detect. The daemon, `thrum eval`, the benchmarks and the tests
 * all run a bundle through this function.
 */
export function buildAlertPipeline(input: PipelineInput, deps: AlertPipelineDeps): Observable<DetectorEvent> {
  const scored$ = scoredWindows(input, deps);
  const onScored = deps.onScored;
  return (onScored ? scored$.pipe(tap(onScored)) : scored$).pipe(
    detect(deps.detector.rule, deps.detector.calibration),
  );
}

/** The pipeline up to the scores (no detector): for callers that only need scores, e.g. calibration parity. */
export function scoredWindows(
  input: PipelineInput,
  deps: Omit<AlertPipelineDeps, 'detector'>,
): Observable<TimedScoredWindow> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const counters = deps.counters ?? emptyPipelineCounters();
  const samples$ =
    input.kind === 'samples'
      ? input.samples$
      : input.bytes$.pipe(
          decodeSamples(input.format, {
            channels: input.channels,
            sensorId: input.sensorId,
            sampleRate: input.sampleRate,
            timestamp: input.csvTimestamp,
            counters: counters.frames,
            onBad: deps.onBad,
          }),
        );
  const onSamples = deps.onSamples;
  const counted$ = onSamples
    ? samples$.pipe(tap((e) => e.type === 'samples' && onSamples(e.batch)))
    : samples$;
  return counted$.pipe(
    toWindows(deps.spec, { counters: counters.windows }, scheduler),
    toFeatures(deps.extractor),
    scoreBatches(deps.scorer, { ...deps.batching, counters: counters.inference }, scheduler),
  );
}
