import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertPipeline } from '../../../runtime/alert-pipeline.js';
import { ORT_SESSION_OPTIONS } from '../../../runtime/engines/ort-engine.js';
import { type BundleRuntime, openBundleRuntime } from '../../../runtime/open-bundle.js';
import type { BatchScorer } from '../../../runtime/operators/score-batches.js';
import type { InferenceEngine } from '../../../runtime/scoring/inference-engine.js';
import { reconstructFeatureRows, scoreFeatureRows } from '../../../runtime/scoring/score-matrix.js';
import { createScorer } from '../../../runtime/scoring/scorer.js';
import { MODEL_VARIANTS, type ModelVariant } from '../../../shared/bundle/manifest.js';
import { encodeCsv, encodeFrame, type WireFormat } from '../../../shared/protocol/index.js';
import {
  type CalibrationResult,
  calibrateVariants,
} from '../../../trainer/calibration/calibrate-variants.js';
import { calibrateThreshold, referenceQuantiles } from '../../../trainer/calibration/threshold.js';
import { splitRecordings } from '../../../trainer/dataset.js';
import { loadRecordings } from '../../../trainer/loaders/load-recordings.js';
import { INPUT_NAME, OUTPUT_NAME } from '../../../trainer/onnx/graph.js';
import { type TrainOptions, withDefaults } from '../../../trainer/options.js';
import { type PreparedData, prepareData } from '../../../trainer/prepare-data.js';
import { type TrainResult, trainBundle } from '../../../trainer/train.js';
import { FIXTURE_CHANNELS, FIXTURE_SAMPLE_RATE, syntheticVibration } from '../../fixtures/make-bundle.js';

// The thresholds in a bundle are only right if the trainer scores its holdout exactly as the daemon will score
// the same windows. Both sides go through runtime/ (ORT engine, session options, createScorer); this test
// checks the result end to end: the trainer's own calibration path against wire bytes through the daemon's
// pipeline, bit for bit.

const dir = mkdtempSync(join(tmpdir(), 'thrum-score-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options: TrainOptions = {
  data: [
    {
      samples: syntheticVibration({ seconds: 40, sampleRate: FIXTURE_SAMPLE_RATE, channels: 3 }),
      channels: 3,
      sampleRate: FIXTURE_SAMPLE_RATE,
      names: FIXTURE_CHANNELS,
      source: 'synthetic',
    },
  ],
  out: dir,
  window: 64,
  hop: 32,
  features: ['spectrum', 'stats'],
  bands: 8,
  // A large holdout (~400 windows) puts the threshold below the holdout maximum, so it is a real quantile.
  holdout: 0.4,
  epochs: 8,
  seed: 1,
  report: false,
  quiet: true,
};

let trained: TrainResult;
let data: PreparedData;
let calibration: CalibrationResult;
/** The held-out samples, interleaved x,y,z: the part of the recording the thresholds come from. */
let heldOut: Float32Array;

beforeAll(async () => {
  trained = await trainBundle(options);
  // The trainer's calibration path, re-run as `thrum train` ran it: same options -> same holdout matrices.
  const o = withDefaults(options);
  data = prepareData(options, o.holdout, o.valSplit, o.seed);
  const models = {
    fp32: readFileSync(join(dir, trained.manifest.files.fp32.path)),
    int8: readFileSync(join(dir, trained.manifest.files.int8.path)),
  };
  calibration = await calibrateVariants(models, data.holdout, data.anomalous, data.extractor, o.targetFar);
  [heldOut] = splitRecordings(loadRecordings(options.data, options), o.holdout, o.valSplit).holdout;
}, 60_000);

/** Wire bytes as a sensor sends them, cut into reads that straddle lines and frames. */
function wireChunks(format: WireFormat, samples: Float32Array): Uint8Array[] {
  const bytes: Uint8Array[] = [];
  if (format === 'csv') bytes.push(new TextEncoder().encode(encodeCsv(samples, 3)));
  else {
    const perFrame = 50;
    for (let s = 0, seq = 0; s < samples.length / 3; s += perFrame, seq++) {
      const part = samples.subarray(s * 3, Math.min(samples.length, (s + perFrame) * 3));
      bytes.push(encodeFrame({ sensorId: 1, seq, channels: 3, samples: part, format: 'float32' }));
    }
  }
  const all = Buffer.concat(bytes);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += 777) chunks.push(all.subarray(at, at + 777));
  return chunks;
}

/** A scorer that records the batch size of every call. */
function recordingBatches(scorer: BatchScorer, sizes: number[]): BatchScorer {
  return {
    size: scorer.size,
    score(features, n) {
      sizes.push(n);
      return scorer.score(features, n);
    },
  };
}

/** The daemon's path: bytes -> buildAlertPipeline (decode, windows, features, micro-batched scoring, detect). */
async function daemonScores(runtime: BundleRuntime, format: WireFormat, batchSizes: number[] = []) {
  const scores: number[] = [];
  const { manifest, extractor, scorer, detector } = runtime;
  await lastValueFrom(
    buildAlertPipeline(
      { kind: 'bytes', bytes$: from(wireChunks(format, heldOut)), format, sensorId: 1, channels: 3 },
      {
        spec: manifest.features,
        extractor,
        scorer: recordingBatches(scorer, batchSizes),
        detector: { rule: detector.rule, calibration: detector },
        batching: { maxBatch: 64, maxDelayMs: 0, maxQueue: 100_000 },
        onScored: (w) => scores.push(w.score),
      },
    ).pipe(toArray()),
  );
  return scores;
}

/** An engine over the same model bytes with other session options (to show the comparison can fail). */
async function engineWith(
  variant: ModelVariant,
  extra: ort.InferenceSession.SessionOptions,
): Promise<InferenceEngine> {
  const model = readFileSync(join(dir, trained.manifest.files[variant].path));
  const session = await ort.InferenceSession.create(model, { ...ORT_SESSION_OPTIONS, ...extra });
  const inputSize = data.extractor.size;
  return {
    inputSize,
    async run(batch, n) {
      const input = new ort.Tensor('float32', batch.subarray(0, n * inputSize), [n, inputSize]);
      return (await session.run({ [INPUT_NAME]: input }))[OUTPUT_NAME].data as Float32Array;
    },
    close: () => session.release(),
  };
}

describe('trainer calibration scores = daemon scores (runtime/ is the one score)', () => {
  it('re-running the calibration reproduces the bundle it wrote (so it is the path `thrum train` took)', () => {
    const holdoutWindows = data.holdout.length / data.extractor.size;
    expect(holdoutWindows).toBe(trained.manifest.training.holdoutWindows);
    for (const v of MODEL_VARIANTS) {
      const { calibration: c } = calibration.variants[v];
      expect({ ...c, reference: { ...c.reference, count: holdoutWindows } }).toEqual(
        trained.manifest.variants[v],
      );
    }
    // Enough windows for the tail fit to work from excesses rather than fall back (about 1 in 20 are excesses).
    expect(holdoutWindows).toBeGreaterThan(200);
  });

  for (const variant of MODEL_VARIANTS) {
    for (const format of ['csv', 'frames'] as const) {
      it(`${variant}, ${format} bytes: every held-out window scores bit for bit the same`, async () => {
        const runtime = await openBundleRuntime(dir, { variant });
        const batchSizes: number[] = [];
        try {
          expect(runtime.variant).toBe(variant);
          const scores = await daemonScores(runtime, format, batchSizes);
          expect(scores).toEqual(Array.from(calibration.variants[variant].scores.holdout));
        } finally {
          await runtime.close();
        }
        // The daemon batched differently from the calibration (256 rows a call), down to single windows:
        // ORT's per-row result does not depend on the batch size, or the equality above would not hold.
        expect(batchSizes).toContain(1);
        expect(Math.max(...batchSizes)).toBeLessThanOrEqual(64);
      });
    }

    it(`${variant}: the manifest's threshold and reference follow from the daemon's scores`, async () => {
      const runtime = await openBundleRuntime(dir, { variant });
      try {
        const scores = await daemonScores(runtime, 'csv');
        const calibrated = trained.manifest.variants[variant];
        const fit = calibrateThreshold(scores, calibrated.targetFar);
        expect(fit.threshold).toBe(calibrated.threshold);
        const { tail: _tail, ...quantiles } = calibrated.reference;
        expect({ ...referenceQuantiles(scores), count: scores.length }).toEqual(quantiles);
        expect(calibrated.reference.tail).toEqual(fit.tail);
        expect(runtime.detector.threshold).toBe(calibrated.threshold);
      } finally {
        await runtime.close();
      }
    });
  }

  it('the comparison is sharp: other int8 session options give other scores', async () => {
    const engine = await engineWith('int8', { graphOptimizationLevel: 'disabled' });
    try {
      const other = await scoreFeatureRows(createScorer(engine, data.extractor.groups), data.holdout);
      // Without graph optimization ORT runs QDQ as float ops instead of the fused QGemm the device runs.
      expect(Array.from(other)).not.toEqual(Array.from(calibration.variants.int8.scores.holdout));
    } finally {
      await engine.close();
    }
  });

  it('the comparison is sharp: the same reconstructions summed in another order give other scores', async () => {
    const engine = await engineWith('fp32', {});
    try {
      const { size } = data.extractor;
      const recon = await reconstructFeatureRows(engine, data.holdout);
      // The deleted trainer MSE: one running sum per window instead of createScorer's per-group sums. Only
      // the rounding differs, and exact equality still tells them apart.
      const flatSum = Array.from({ length: data.holdout.length / size }, (_, r) => {
        let sum = 0;
        for (let i = r * size; i < (r + 1) * size; i++) sum += (data.holdout[i] - recon[i]) ** 2;
        return sum / size;
      });
      const calibrated = Array.from(calibration.variants.fp32.scores.holdout);
      expect(flatSum).not.toEqual(calibrated);
      const worst = Math.max(...flatSum.map((s, i) => Math.abs(s - calibrated[i]) / calibrated[i]));
      expect(worst).toBeLessThan(1e-12);
    } finally {
      await engine.close();
    }
  });
});
