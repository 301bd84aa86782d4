import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { INPUT_NAME, OUTPUT_NAME, opTypesOf } from './graph.js';

/** The session options the device uses (GUIDE: one thread, sequential, no spinning). */
function sessionOptions(
  extra: ort.InferenceSession.SessionOptions = {},
): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    ...extra,
  };
}

export function openSession(model: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, sessionOptions());
}

/** Reconstructions of `rows` feature vectors of size `size`, in batches. */
export async function reconstructAll(
  session: ort.InferenceSession,
  data: Float32Array,
  size: number,
  batch = 256,
): Promise<Float32Array> {
  const rows = data.length / size;
  const out = new Float32Array(data.length);
  for (let start = 0; start < rows; start += batch) {
    const n = Math.min(batch, rows - start);
    const input = new ort.Tensor('float32', data.subarray(start * size, (start + n) * size), [n, size]);
    const result = await session.run({ [INPUT_NAME]: input });
    out.set(result[OUTPUT_NAME].data as Float32Array, start * size);
  }
  return out;
}

/** Window scores as the manifest defines them: mean squared error over the normalized feature vector. */
export function mseScores(input: Float32Array, recon: Float32Array, size: number): Float64Array {
  const rows = input.length / size;
  const scores = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = r * size; i < (r + 1) * size; i++) sum += (input[i] - recon[i]) ** 2;
    scores[r] = sum / size;
  }
  return scores;
}

export async function scoreAll(
  session: ort.InferenceSession,
  data: Float32Array,
  size: number,
): Promise<Float64Array> {
  return mseScores(data, await reconstructAll(session, data, size), size);
}

/** Op types of the graph ORT actually runs (level 'all'), read back from its optimized-model dump. */
export async function optimizedOps(model: Uint8Array): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-ort-'));
  try {
    const path = join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(
      model,
      sessionOptions({ optimizedModelFilePath: path, logSeverityLevel: 3 }),
    );
    await session.release();
    return opTypesOf(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
