import type { InferenceEngine } from './inference-engine.js';

export interface MeasureOptions {
  /** Timed batches. Default 200. */
  batches?: number;
  batchSize?: number;
  /** Untimed batches first (allocation, caches). Default 10. */
  warmup?: number;
  /** High-resolution clock in ms. Default performance.now. */
  now?: () => number;
}

/** Mean inference cost per window in µs, running `batches` batches of `batchSize` standardized-looking inputs. */
export async function measurePerWindowUs(
  engine: InferenceEngine,
  options: MeasureOptions = {},
): Promise<number> {
  const batches = options.batches ?? 200;
  const batchSize = options.batchSize ?? 64;
  const warmup = options.warmup ?? 10;
  const now = options.now ?? (() => performance.now());
  const input = syntheticFeatures(batchSize * engine.inputSize);
  for (let i = 0; i < warmup; i++) await engine.run(input, batchSize);
  const start = now();
  for (let i = 0; i < batches; i++) await engine.run(input, batchSize);
  return ((now() - start) * 1000) / (batches * batchSize);
}

/** Deterministic values spread like standardized features (roughly zero mean, unit scale). */
function syntheticFeatures(length: number): Float32Array {
  const out = new Float32Array(length);
  let state = 0x2545f491;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 0x1_0000_0000) * 3.4 - 1.7;
  }
  return out;
}
