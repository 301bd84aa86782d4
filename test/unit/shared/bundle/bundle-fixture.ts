// Builds a small, valid bundle in a temp dir: random bytes stand in for the ONNX files (the reader checks
// hashes, not ONNX), and the manifest's sizes come from the real FeatureExtractor.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelFileEntry } from '../../../../shared/bundle/files.js';
import type { Manifest } from '../../../../shared/bundle/manifest.js';
import { writeManifest } from '../../../../shared/bundle/write.js';
import { FeatureExtractor } from '../../../../shared/features/extractor.js';
import type { FeatureSpec } from '../../../../shared/features/spec.js';

export const CHANNELS = ['x', 'y', 'z'];
export const SPEC: FeatureSpec = {
  kinds: ['spectrum', 'stats'],
  window: 256,
  hop: 128,
  channels: 3,
  sampleRate: 1000,
  spectrum: { bands: 8, maxHz: 500, minHz: 0, scale: 'linear' },
};

export function manifestFor(files: Manifest['files']): Manifest {
  const size = new FeatureExtractor(SPEC, undefined, CHANNELS).size;
  const calibration = {
    threshold: 1.5,
    targetFar: 0.01,
    reference: { probs: [0.5, 0.9, 0.99], scores: [0.2, 0.8, 1.4] },
  };
  return {
    schemaVersion: 1,
    bundleId: 'b-test',
    createdAt: '2025-11-25T12:00:00.000Z',
    channelNames: CHANNELS,
    sampleRate: SPEC.sampleRate,
    features: SPEC,
    normalization: {
      channelMean: [0, 0, 0],
      channelStd: [1, 1, 1],
      featureMean: new Array(size).fill(0),
      featureStd: new Array(size).fill(1),
    },
    model: {
      kind: 'ae',
      inputName: 'input',
      outputName: 'output',
      inputSize: size,
      layers: [16, 4],
      opset: 17,
    },
    files,
    score: 'mse',
    variants: { fp32: calibration, int8: calibration },
    detector: { k: 3, n: 5, clearRatio: 0.8, minClearWindows: 5, cooldownWindows: 10 },
    training: {
      files: ['normal.csv'],
      windows: 100,
      trainWindows: 80,
      holdoutWindows: 20,
      backend: 'wasm',
      seed: 1,
      epochs: 5,
      durationMs: 1234,
    },
  };
}

/** Writes model.onnx, model.int8.onnx and manifest.json into a new temp dir; returns the dir and manifest. */
export async function makeBundle(): Promise<{ dir: string; manifest: Manifest }> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-bundle-test-'));
  writeFileSync(join(dir, 'model.onnx'), randomBytes(4096));
  writeFileSync(join(dir, 'model.int8.onnx'), randomBytes(1024));
  const manifest = manifestFor({
    fp32: await modelFileEntry(dir, 'model.onnx'),
    int8: await modelFileEntry(dir, 'model.int8.onnx'),
  });
  await writeManifest(dir, manifest);
  return { dir, manifest };
}
