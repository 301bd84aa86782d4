import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openOrtEngine } from '../../../runtime/engines/ort-engine.js';
import { reconstructFeatureRows } from '../../../runtime/scoring/score-matrix.js';
import { FeatureExtractor, fitNormalization } from '../../../shared/features/extractor.js';
import type { FeatureSpec } from '../../../shared/features/spec.js';
import { featureMatrix } from '../../../trainer/dataset.js';
import { loadRecording } from '../../../trainer/loaders/load-recordings.js';
import { selectBackend } from '../../../trainer/model/backend.js';
import { trainModel } from '../../../trainer/model/train-model.js';
import { exportFp32 } from '../../../trainer/onnx/export-fp32.js';
import { INPUT_NAME, OUTPUT_NAME } from '../../../trainer/onnx/graph.js';
import { silentProgress } from '../../../trainer/progress.js';
import { syntheticVibration } from '../../fixtures/synthetic-vibration.js';

const cwru = resolve(
  import.meta.dirname,
  '../../../../shared/datasets/cwru/48k_DE_0hp/097_Normal_0hp_48k.DE.f32',
);

/** Real CWRU windows when the dataset sits beside the repo, else synthetic vibration. */
function windows(): { data: Float32Array; size: number; source: string } {
  const real = existsSync(cwru);
  const samples = real
    ? loadRecording(cwru, { channels: 1, sampleRate: 48000 }).samples
    : syntheticVibration({ seconds: 60, channels: 1 });
  const sampleRate = real ? 48000 : 800;
  const spec: FeatureSpec = {
    kinds: ['spectrum', 'stats'],
    window: 1024,
    hop: 512,
    channels: 1,
    sampleRate,
    spectrum: { bands: 32, maxHz: sampleRate / 2, minHz: 0, scale: 'linear' },
  };
  const extractor = new FeatureExtractor(spec, fitNormalization(spec, [samples]));
  return {
    data: featureMatrix([samples], extractor, spec),
    size: extractor.size,
    source: real ? 'cwru' : 'synthetic',
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('ONNX fp32 export', () => {
  let w: ReturnType<typeof windows>;
  beforeAll(async () => {
    await selectBackend();
    w = windows();
  });

  for (const kind of ['ae', 'vae'] as const) {
    it(`${kind}: ONNX Runtime reproduces the tfjs reconstruction within 1e-4 on real windows`, async () => {
      const fit = { epochs: 4, patience: 10, batchSize: 32, learningRate: 2e-3, denoise: 0, beta: 1 };
      const trained = trainModel(
        w.data,
        new Float32Array(0),
        w.data,
        w.size,
        { ...fit, kind, seed: 3 },
        silentProgress,
      );
      const io = { inputName: INPUT_NAME, outputName: OUTPUT_NAME, inputSize: w.size };
      const engine = await openOrtEngine(exportFp32(trained.layers), io);
      const recon = await reconstructFeatureRows(engine, w.data, 100);
      await engine.close();
      expect(recon.length).toBe(w.data.length);
      expect(maxAbsDiff(recon, trained.checkRecon)).toBeLessThanOrEqual(1e-4);
      // The reconstruction is not trivially the input (a model that learned nothing would fail parity too).
      expect(maxAbsDiff(recon, w.data)).toBeGreaterThan(1e-3);
    });
  }

  it('declares features [batch, D] -> reconstruction [batch, D] at opset >= 17', () => {
    const layers = [
      {
        inSize: 4,
        outSize: 2,
        kernel: new Float32Array(8),
        bias: new Float32Array(2),
        activation: 'relu' as const,
      },
      {
        inSize: 2,
        outSize: 4,
        kernel: new Float32Array(8),
        bias: new Float32Array(4),
        activation: 'linear' as const,
      },
    ];
    const model = onnxProto.onnx.ModelProto.decode(exportFp32(layers));
    expect(Number(model.opsetImport[0].version)).toBeGreaterThanOrEqual(17);
    const [input] = model.graph!.input!;
    const [output] = model.graph!.output!;
    expect(input.name).toBe('features');
    expect(output.name).toBe('reconstruction');
    for (const info of [input, output]) {
      const dims = info.type!.tensorType!.shape!.dim!;
      expect(dims[0].dimParam).toBe('batch');
      expect(Number(dims[1].dimValue)).toBe(4);
    }
    expect(model.graph!.node!.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm']);
  });
});
