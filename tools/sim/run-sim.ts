import { systemClock } from '../../shared/clock.js';
import type { ByteSink } from './byte-sink.js';
import { type PaceClock, Pacer } from './pacer.js';
import type { SampleEncoder } from './sample-encoder.js';
import type { VibrationSim } from './vibration-sim.js';

export interface SimRun {
  sim: VibrationSim;
  encoder: SampleEncoder;
  sink: ByteSink;
  sampleRate: number;
  /** Seconds to produce; Infinity = until `signal` aborts or the reader goes away. */
  seconds: number;
  /** As fast as the sink takes it, instead of the real rate. */
  fast: boolean;
  signal?: AbortSignal;
  clock?: PaceClock;
  /** Bytes written before the first sample (the csv record header). */
  preamble?: Uint8Array;
  /** Called with each block's rows once they are written (e.g. the label file). */
  onRows?: (firstSample: number, n: number) => void;
}

export interface SimResult {
  samples: number;
  bytes: number;
  stoppedBy: 'end' | 'signal' | 'reader';
}

/** Real-rate blocks of about 50 ms; fast mode uses bigger ones. Output bytes do not depend on either. */
const REAL_RATE_BLOCK_S = 0.05;
const FAST_BLOCK_SAMPLES = 8192;

/** Streams the simulation through the encoder into the sink, block by block, in constant memory. */
export async function runSim(run: SimRun): Promise<SimResult> {
  const { sim, encoder, sink } = run;
  const g = encoder.granularity;
  const wanted = run.fast ? FAST_BLOCK_SAMPLES : Math.max(1, Math.round(REAL_RATE_BLOCK_S * run.sampleRate));
  const blockSamples = Math.max(g, Math.round(wanted / g) * g);
  const total = Number.isFinite(run.seconds)
    ? Math.round(run.seconds * run.sampleRate)
    : Number.POSITIVE_INFINITY;
  const pacer = run.fast ? undefined : new Pacer(run.sampleRate, run.clock ?? systemClock);
  const block = new Float32Array(blockSamples * sim.channels);
  let samples = 0;
  let bytes = 0;
  if (run.preamble?.length) {
    await sink.write(run.preamble);
    bytes += run.preamble.length;
  }
  while (samples < total) {
    if (run.signal?.aborted) return { samples, bytes, stoppedBy: 'signal' };
    if (sink.closedByReader) return { samples, bytes, stoppedBy: 'reader' };
    const n = Math.min(blockSamples, total - samples);
    const view = n === blockSamples ? block : block.subarray(0, n * sim.channels);
    sim.fill(view);
    const encoded = encoder.encode(view, samples);
    // Hold the block until its last sample is due: a reader never sees a sample before it "happens".
    if (pacer) await pacer.waitFor(samples + n);
    await sink.write(encoded);
    run.onRows?.(samples, n);
    samples += n;
    bytes += encoded.length;
  }
  return { samples, bytes, stoppedBy: sink.closedByReader ? 'reader' : 'end' };
}
