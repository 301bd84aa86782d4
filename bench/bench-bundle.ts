import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../shared/bundle/manifest.js';
import { SIM_CHANNEL_NAMES, VibrationSim } from '../tools/sim/vibration-sim.js';
import { trainBundle } from '../trainer/train.js';

/** The product's defaults for a 3-axis accelerometer (ADXL345) at 3.2 kHz: see trainer/resolve-spec.ts. */
export const BENCH_SAMPLE_RATE = 3200;
export const BENCH_CHANNELS = 3;
export const BENCH_WINDOW = 1024;
export const BENCH_HOP = 512;
export const BENCH_BANDS = 32;

export interface BenchBundle {
  dir: string;
  manifest: Manifest;
  /** Trainable weights of the autoencoder. */
  parameters: number;
  fp32Bytes: number;
  int8Bytes: number;
  /** What ONNX Runtime runs for the int8 model after graph optimization (QGemm when fused). */
  int8Ops: string[];
  trainMs: number;
}

/** Healthy 3-axis vibration from the simulator (`thrum sim`), interleaved x,y,z in g. */
export function simulatedSamples(seconds: number, seed: number): Float32Array {
  const sim = new VibrationSim({ sampleRate: BENCH_SAMPLE_RATE, rpm: 1780, mains: 50, seed, faults: [] });
  const out = new Float32Array(Math.round(seconds * BENCH_SAMPLE_RATE) * BENCH_CHANNELS);
  sim.fill(out);
  return out;
}

/**
 * Trains the bundle every figure is measured with, through the real trainer: 3 channels, window 1024, hop
 * 512, a 32-band spectrum per channel = 96 model inputs, autoencoder 96-48-24-12-24-48-96. Speed does not
 * depend on how well it is trained, so few epochs do.
 */
export async function trainBenchBundle(epochs: number): Promise<BenchBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-bench-bundle-'));
  const started = performance.now();
  const trained = trainBundle({
    data: [
      {
        samples: simulatedSamples(90, 11),
        channels: BENCH_CHANNELS,
        sampleRate: BENCH_SAMPLE_RATE,
        names: [...SIM_CHANNEL_NAMES],
        source: 'thrum sim (healthy, 90 s)',
      },
    ],
    out: dir,
    window: BENCH_WINDOW,
    hop: BENCH_HOP,
    features: ['spectrum'],
    bands: BENCH_BANDS,
    epochs,
    seed: 1,
    report: false,
    quiet: true,
  });
  const { manifest, summary } = await trained.catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    dir,
    manifest,
    parameters: summary.model.parameters,
    fp32Bytes: summary.files.fp32.bytes,
    int8Bytes: summary.files.int8.bytes,
    int8Ops: summary.int8.optimizedOps,
    trainMs: performance.now() - started,
  };
}
