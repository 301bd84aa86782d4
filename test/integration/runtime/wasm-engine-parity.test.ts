import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrtEngine } from '../../../runtime/engines/ort-engine.js';
import { openOrtWasmEngine } from '../../../runtime/engines/ort-wasm-engine.js';
import { createScorer } from '../../../runtime/scoring/scorer.js';
import { streamScores } from '../../../runtime/stream-scores.js';
import { readBundle } from '../../../shared/bundle/read.js';
import { FeatureExtractor } from '../../../shared/features/extractor.js';
import { makeBundle, syntheticVibration } from '../../fixtures/make-bundle.js';

// The wasm engine (armv7 boards) must give the scores of the native one, bit for bit: the bundle's
// thresholds were calibrated with onnxruntime-node, so any difference would move alerts.
describe('onnxruntime-web (wasm) vs onnxruntime-node', () => {
  let dir: string;
  beforeAll(async () => {
    ({ dir } = await makeBundle({ seconds: 20, epochs: 8 }));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function scoreBoth(variant: 'int8' | 'fp32') {
    const bundle = await readBundle(dir, { variants: [variant] });
    const { manifest } = bundle;
    const io = manifest.model;
    const path = bundle.modelPath(variant);
    const native = await openOrtEngine(path, io);
    const wasm = await openOrtWasmEngine(path, io);
    try {
      const extractor = new FeatureExtractor(
        manifest.features,
        manifest.normalization,
        manifest.channelNames,
      );
      // Healthy windows, then a fault, so the comparison spans small and large reconstruction errors.
      const samples = syntheticVibration({ seconds: 6, fault: 'tone', faultFrom: 3, seed: 11 });
      const scores = async (engine: typeof native) =>
        (
          await streamScores(samples, manifest.features, extractor, createScorer(engine, extractor.groups), {
            maxBatch: 16,
          })
        ).map((w) => w.score);
      // The raw reconstructions of one batch too (the scorer could hide a difference below float64 rounding).
      const batch = new Float32Array(8 * io.inputSize).map((_, i) => Math.sin(i * 0.37) * 1.3);
      const recon = async (engine: typeof native) => {
        const r = await engine.run(batch, 8);
        return Buffer.from(r.buffer, r.byteOffset, r.byteLength);
      };
      return {
        native: { scores: await scores(native), recon: await recon(native) },
        wasm: { scores: await scores(wasm), recon: await recon(wasm) },
        threshold: manifest.variants[variant].threshold,
      };
    } finally {
      await native.close();
      await wasm.close();
    }
  }

  const bits = (scores: number[]) => Buffer.from(Float64Array.from(scores).buffer);

  it('int8 (what the device runs): reconstructions and window scores are bit-identical', async () => {
    const r = await scoreBoth('int8');
    expect(r.native.scores.length).toBeGreaterThan(100);
    expect(r.wasm.scores).toEqual(r.native.scores);
    expect(bits(r.wasm.scores).equals(bits(r.native.scores))).toBe(true);
    expect(r.wasm.recon.equals(r.native.recon)).toBe(true);
  });

  it('fp32: scores agree to float32 rounding (not bit for bit: the native and wasm kernels round float32 sums differently) and decide alike', async () => {
    const r = await scoreBoth('fp32');
    const rel = Math.max(...r.native.scores.map((s, i) => Math.abs(r.wasm.scores[i]! - s) / s));
    expect(rel).toBeLessThan(1e-6);
    const above = (scores: number[]) => scores.map((s) => s >= r.threshold);
    expect(above(r.wasm.scores)).toEqual(above(r.native.scores));
  });
});
