import { Observable } from 'rxjs';
import { inferenceSchema } from '../device/config/schema.js';
import { buildAlertPipeline, emptyPipelineCounters } from '../runtime/alert-pipeline.js';
import { openBundleRuntime } from '../runtime/open-bundle.js';
import { BENCH_CHANNELS, type BenchBundle } from './bench-bundle.js';
import type { Recording } from './recording.js';
import { type Measured, measured } from './stats.js';

/** The daemon's defaults (device/config/schema.ts `inference`: maxBatch, maxDelayMs, maxQueue). */
const INFERENCE = inferenceSchema.parse({});
/** The source waits while more windows than this wait for scoring (a slow reader, not a dropped window). */
const MAX_WAITING = 256;
export const REALTIME_RATES = [3200, 25_600] as const;

export interface PipelineRow {
  format: string;
  samples: number;
  seconds: number;
  /** Whole replay: samples (one value per channel) per second of wall time. */
  samplesPerSec: number;
  /**
   * Samples per second of this process's CPU time (all threads, ONNX Runtime's included). On a shared machine
   * other processes steal wall time from the pinned core; this figure does not count what they take.
   */
  samplesPerCpuSec: number;
  /** Per segment of the replay (equal slices, timed at the scorer's output). */
  segmentSamplesPerSec: Measured;
  /** samplesPerCpuSec / sample rate (3 axes at that rate, one core), keyed by rate in Hz. */
  realtimeFactor: Record<string, number>;
  windows: number;
  dropped: number;
  batches: number;
  events: number;
}

/**
 * The device's data path, unpaced, on one core: in-memory chunks -> decodeSamples -> toWindows -> toFeatures ->
 * scoreBatches (ORT int8, the config's default batching) -> detect, built by runtime/alert-pipeline.ts exactly as the
 * daemon builds it. The source yields to the event loop after each 64 KiB chunk (as a file stream does) and
 * waits while scoring is behind, so no window is dropped.
 */
export async function benchPipeline(
  bundle: BenchBundle,
  rec: Recording,
  segments: number,
  batching: typeof INFERENCE = INFERENCE,
): Promise<PipelineRow> {
  const runtime = await openBundleRuntime(bundle.dir, { variant: 'int8' });
  try {
    const { manifest, extractor, scorer, detector } = runtime;
    const counters = emptyPipelineCounters();
    const segmentSamples = rec.samples / segments;
    const marks: number[] = [];
    let events = 0;
    const source = new Observable<Uint8Array>((subscriber) => {
      let i = 0;
      let stopped = false;
      const next = () => {
        if (stopped) return;
        const { windows, scored, dropped } = counters.inference;
        if (windows - scored - dropped > MAX_WAITING) return void setImmediate(next);
        if (i === rec.chunks.length) return subscriber.complete();
        subscriber.next(rec.chunks[i++]);
        setImmediate(next);
      };
      setImmediate(next);
      return () => {
        stopped = true;
      };
    });
    const pipeline = buildAlertPipeline(
      { kind: 'bytes', bytes$: source, format: rec.format, sensorId: 1, channels: BENCH_CHANNELS },
      {
        spec: { ...manifest.features, sampleRate: manifest.sampleRate },
        extractor,
        scorer,
        detector: { rule: detector.rule, calibration: detector },
        batching,
        counters,
        onScored: (w) => {
          while (marks.length < segments && w.endSample >= (marks.length + 1) * segmentSamples) {
            marks.push(performance.now());
          }
        },
      },
    );
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await new Promise<void>((resolve, reject) => {
      pipeline.subscribe({ next: () => events++, error: reject, complete: resolve });
    });
    const end = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const seconds = (end - start) / 1000;

    // The last segment ends with the stream (its final samples fill no complete window).
    marks.length = Math.min(marks.length, segments - 1);
    marks.push(end);
    const segmentRates = marks.map(
      (t, k) => segmentSamples / ((t - (k === 0 ? start : marks[k - 1])) / 1000),
    );
    const samplesPerSec = rec.samples / seconds;
    const { inference, windows } = counters;
    if (counters.frames.samples !== rec.samples || counters.frames.bad > 0) {
      throw new Error(
        `pipeline decoded ${counters.frames.samples} of ${rec.samples} samples (${counters.frames.bad} bad)`,
      );
    }
    return {
      format: rec.format,
      samples: rec.samples,
      seconds,
      samplesPerSec,
      samplesPerCpuSec: rec.samples / cpuSeconds,
      segmentSamplesPerSec: measured(segmentRates),
      realtimeFactor: Object.fromEntries(
        REALTIME_RATES.map((hz) => [String(hz), rec.samples / cpuSeconds / hz]),
      ),
      windows: windows.windows,
      dropped: inference.dropped,
      batches: inference.batches,
      events,
    };
  } finally {
    await runtime.close();
  }
}
