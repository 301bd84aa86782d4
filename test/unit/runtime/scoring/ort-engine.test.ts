import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOrtEngine } from '../../../../runtime/engines/ort-engine.js';
import { ortOptimizedModel } from '../../../../runtime/engines/ort-optimized-model.js';
import { ThrumError } from '../../../../shared/errors.js';
import { exportFp32 } from '../../../../trainer/onnx/export-fp32.js';
import { INPUT_NAME, OUTPUT_NAME, opTypesOf } from '../../../../trainer/onnx/graph.js';

const dir = mkdtempSync(join(tmpdir(), 'thrum-ort-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One linear layer: y = 0.5 x + [1, 0, 0, 0], a model whose output is known exactly.
const kernel = new Float32Array(16);
for (let i = 0; i < 4; i++) kernel[i * 4 + i] = 0.5;
const modelPath = join(dir, 'half.onnx');
const modelBytes = exportFp32([
  { inSize: 4, outSize: 4, kernel, bias: Float32Array.of(1, 0, 0, 0), activation: 'linear' },
]);
writeFileSync(modelPath, modelBytes);
const io = { inputName: INPUT_NAME, outputName: OUTPUT_NAME, inputSize: 4 };

describe('openOrtEngine', () => {
  it('runs n windows of a larger, reused batch buffer', async () => {
    const engine = await openOrtEngine(modelPath, io);
    try {
      const batch = new Float32Array(4 * 8).fill(99);
      batch.set([2, 4, 6, 8, -2, 0, 2, 4]);
      const out = await engine.run(batch, 2);
      expect(Array.from(out)).toEqual([2, 2, 3, 4, 0, 0, 1, 2]);
    } finally {
      await engine.close();
    }
  });

  it('runs a model given as bytes (the trainer calibrates before the bundle is written)', async () => {
    const engine = await openOrtEngine(modelBytes, io);
    try {
      expect(Array.from(await engine.run(Float32Array.of(2, 4, 6, 8), 1))).toEqual([2, 2, 3, 4]);
    } finally {
      await engine.close();
    }
  });

  it('says an in-memory model could not be loaded, with its size', async () => {
    const error = await openOrtEngine(new TextEncoder().encode('not onnx'), io).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect((error as Error).message).toContain('in-memory model of 8 bytes');
  });

  it('fails with MODEL_LOAD_FAILED naming the file when it is not a model', async () => {
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not onnx');
    const error = await openOrtEngine(junk, io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrumError);
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect((error as Error).message).toContain(junk);
  });

  it('refuses a manifest whose input name the model does not have', async () => {
    await expect(openOrtEngine(modelPath, { ...io, inputName: 'x' })).rejects.toThrow(/no input named "x"/);
  });
});

describe('ortOptimizedModel', () => {
  it('returns the graph ORT runs with the device options: Gemm+Relu fused into FusedGemm', async () => {
    const layer = (inSize: number, outSize: number, activation: 'relu' | 'linear') => ({
      inSize,
      outSize,
      kernel: new Float32Array(inSize * outSize).fill(0.1),
      bias: new Float32Array(outSize),
      activation,
    });
    const model = exportFp32([layer(4, 2, 'relu'), layer(2, 4, 'linear')]);
    expect(opTypesOf(model)).toEqual(['Gemm', 'Relu', 'Gemm']);
    expect(opTypesOf(await ortOptimizedModel(model))).toEqual(['FusedGemm', 'Gemm']);
  });
});
