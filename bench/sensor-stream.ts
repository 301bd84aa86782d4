import { createSampleEncoder } from '../tools/sim/sample-encoder.js';
import { VibrationSim } from '../tools/sim/vibration-sim.js';
import { BENCH_CHANNELS, BENCH_HOP, BENCH_SAMPLE_RATE } from './bench-bundle.js';
import { FRAME_SAMPLES } from './recording.js';

/** One frame of one sensor and when (ms of stream time) its last sample happens. */
export interface ScheduledFrame {
  dueMs: number;
  sensorId: number;
  bytes: Uint8Array;
  /** Per-channel index one past the frame's last sample. */
  endSample: number;
}

export interface StreamOptions {
  sensors: number;
  seconds: number;
  /** Sensor s starts s x staggerMs later, so windows of different sensors do not complete together. */
  staggerMs: number;
  /** Whether the hop-sized block starting at this sample is a fault (the healthy signal x 6). */
  anomalous: (blockStart: number) => boolean;
  seed: number;
}

const FAULT_GAIN = 6;

/**
 * Frames as sensors on one serial link send them (frames format, int16, 32 samples each, one sequence per
 * sensor), merged in time order: the simulator's healthy signal, with hop-sized blocks amplified where
 * `anomalous` says so.
 */
export function frameSchedule(o: StreamOptions): ScheduledFrame[] {
  const samples = Math.floor((o.seconds * BENCH_SAMPLE_RATE) / BENCH_HOP) * BENCH_HOP;
  const frames: ScheduledFrame[] = [];
  for (let s = 0; s < o.sensors; s++) {
    const sensorId = s + 1;
    const sim = new VibrationSim({
      sampleRate: BENCH_SAMPLE_RATE,
      rpm: 1780,
      mains: 50,
      seed: o.seed + s,
      faults: [],
    });
    const encoder = createSampleEncoder({
      format: 'frames',
      channels: BENCH_CHANNELS,
      sampleRate: BENCH_SAMPLE_RATE,
      timestamps: false,
      sensorId,
      frameSamples: FRAME_SAMPLES,
      sampleFormat: 'int16',
    });
    const block = new Float32Array(BENCH_HOP * BENCH_CHANNELS);
    for (let start = 0; start < samples; start += BENCH_HOP) {
      sim.fill(block);
      if (o.anomalous(start)) for (let i = 0; i < block.length; i++) block[i] *= FAULT_GAIN;
      for (let f = 0; f < BENCH_HOP; f += FRAME_SAMPLES) {
        const endSample = start + f + FRAME_SAMPLES;
        frames.push({
          dueMs: s * o.staggerMs + (endSample * 1000) / BENCH_SAMPLE_RATE,
          sensorId,
          bytes: encoder.encode(
            block.subarray(f * BENCH_CHANNELS, (f + FRAME_SAMPLES) * BENCH_CHANNELS),
            start + f,
          ),
          endSample,
        });
      }
    }
  }
  return frames.sort((a, b) => a.dueMs - b.dueMs);
}

/**
 * Writes each frame when it is due, `speedup` times faster than real time (1 = real time), and reports the
 * wall time of every write. Resolves after the last one.
 */
export function paceFrames(
  frames: ScheduledFrame[],
  speedup: number,
  write: (frame: ScheduledFrame, index: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let i = 0;
    const tick = () => {
      try {
        const now = (performance.now() - t0) * speedup;
        while (i < frames.length && frames[i].dueMs <= now) {
          write(frames[i], i);
          i++;
        }
        if (i === frames.length) return resolve();
        setTimeout(tick, Math.max(0, (frames[i].dueMs - (performance.now() - t0) * speedup) / speedup));
      } catch (error) {
        reject(error);
      }
    };
    tick();
  });
}
