import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ORT_SESSION_OPTIONS } from './ort-engine.js';

/**
 * The model as ONNX Runtime really runs it with the device's session options (after graph optimization, e.g.
 * QDQ int8 fused into QGemm), as ONNX bytes: ORT can only hand it over as a file, so it goes through a temp dir.
 */
export async function ortOptimizedModel(model: Uint8Array): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-ort-'));
  try {
    const path = join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(model, {
      ...ORT_SESSION_OPTIONS,
      optimizedModelFilePath: path,
      logSeverityLevel: 3,
    });
    await session.release();
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
