import { from, lastValueFrom } from 'rxjs';
import type { BatchScorer } from '../operators/score-batches.js';
import type { InferenceEngine } from './inference-engine.js';

/**
 * Rows per inference call over a whole matrix. ORT gives each row the same result whatever the batch size
 * (test/integration/runtime/score-parity.test.ts checks it against the daemon's micro-batches), so this only
 * trades memory for calls.
 */
export const MATRIX_BATCH = 256;

/**
 * Window scores of a row-major [rows, scorer.size] matrix of normalized feature vectors, through the same scorer
 * the daemon uses (createScorer), `batch` rows per call: how the trainer scores its holdout for the thresholds.
 */
export async function scoreFeatureRows(
  scorer: BatchScorer,
  rows: Float32Array,
  batch = MATRIX_BATCH,
): Promise<Float64Array> {
  const scores = new Float64Array(rowCount(rows, scorer.size));
  await inBatches(scores.length, batch, async (start, n) => {
    const part = rows.subarray(start * scorer.size, (start + n) * scorer.size);
    const result = await lastValueFrom(from(scorer.score(part, n)));
    for (let i = 0; i < n; i++) scores[start + i] = result.scores[i];
  });
  return scores;
}

/** The engine's reconstructions of a row-major [rows, engine.inputSize] matrix (for plots and export checks). */
export async function reconstructFeatureRows(
  engine: InferenceEngine,
  rows: Float32Array,
  batch = MATRIX_BATCH,
): Promise<Float32Array> {
  const size = engine.inputSize;
  const out = new Float32Array(rowCount(rows, size) * size);
  await inBatches(out.length / size, batch, async (start, n) => {
    const recon = await engine.run(rows.subarray(start * size, (start + n) * size), n);
    out.set(recon.subarray(0, n * size), start * size);
  });
  return out;
}

function rowCount(rows: Float32Array, size: number): number {
  if (rows.length % size !== 0) {
    throw new Error(`feature matrix of ${rows.length} values is not whole rows of ${size}`);
  }
  return rows.length / size;
}

async function inBatches(
  total: number,
  batch: number,
  run: (start: number, n: number) => Promise<void>,
): Promise<void> {
  const step = Math.max(1, Math.floor(batch));
  for (let start = 0; start < total; start += step) await run(start, Math.min(step, total - start));
}
