import { join } from 'node:path';
import { openBundleRuntime } from '../../runtime/open-bundle.js';
import { goldenScores } from '../../runtime/self-test.js';
import type { Golden, GoldenLabel, GoldenWindow } from '../../shared/bundle/golden.js';
import { type Manifest, MODEL_VARIANTS } from '../../shared/bundle/manifest.js';
import { type Bundle, MANIFEST_FILE } from '../../shared/bundle/read.js';
import type { FeatureSpec } from '../../shared/features/spec.js';
import { slidingWindows } from '../../shared/windowing.js';
import type { CalibrationResult } from '../calibration/calibrate-variants.js';
import type { PreparedData } from '../prepare-data.js';
import { GOLDEN_PER_LABEL, pickGolden } from './pick.js';
import { stableWindows } from './stable-windows.js';

/**
 * Raw windows are stored when all golden windows together hold at most this many samples (16 KB as float32):
 * slow sensors and short windows. Longer ones (3 axes x 1024 samples is 12 KB a window) store feature vectors.
 */
export const GOLDEN_SAMPLE_BUDGET = 4096;

export interface GoldenInputs {
  /** The bundle directory, with both model files written. */
  dir: string;
  /** The manifest as it will be written (its files.fp32 / files.int8 point at the written models). */
  manifest: Manifest;
  data: PreparedData;
  calibration: CalibrationResult;
  /** The int8 model exported with its activation scales moved by -/+ SCALE_JITTER (stable-windows.ts). */
  jitteredInt8: readonly Uint8Array[];
}

/**
 * Picks the golden windows (held-out normal windows and synthetic anomalous ones, clear of both thresholds and
 * stable under int8 rounding) and measures their expected scores by opening the written bundle with the
 * device's bundle opener and scoring them with the self-test's own goldenScores(). Undefined when no window
 * qualifies (then the bundle has no golden.json and the device skips the self-test, saying so).
 */
export async function buildGolden(g: GoldenInputs): Promise<Golden | undefined> {
  const { manifest, data, calibration } = g;
  const { model } = manifest;
  const io = { inputName: model.inputName, outputName: model.outputName, inputSize: model.inputSize };
  const thresholds = { fp32: manifest.variants.fp32.threshold, int8: manifest.variants.int8.threshold };
  const pick = async (label: GoldenLabel, rows: Float32Array) => {
    const part = label === 'normal' ? 'holdout' : 'anomalous';
    const scores = {
      fp32: calibration.variants.fp32.scores[part],
      int8: calibration.variants.int8.scores[part],
    };
    const stable = await stableWindows(g.jitteredInt8, io, data.extractor.groups, rows, scores.int8);
    return pickGolden(scores, thresholds, label, (i) => stable[i] === 1);
  };
  const picked = {
    normal: await pick('normal', data.holdout),
    anomalous: await pick('anomalous', data.anomalous),
  };
  if (picked.normal.length + picked.anomalous.length === 0) return undefined;

  const spec = manifest.features;
  const samplesPerWindow = spec.window * spec.channels;
  const input = 2 * GOLDEN_PER_LABEL * samplesPerWindow <= GOLDEN_SAMPLE_BUDGET ? 'samples' : 'features';
  const size = input === 'samples' ? samplesPerWindow : model.inputSize;
  const values = {
    normal:
      input === 'samples'
        ? windowsAt(data.raw.holdout, spec, picked.normal)
        : picked.normal.map((i) => rowAt(data.holdout, size, i)),
    anomalous: picked.anomalous.map((i) =>
      rowAt(input === 'samples' ? data.raw.anomalous : data.anomalous, size, i),
    ),
  };
  const windows: GoldenWindow[] = (['normal', 'anomalous'] as const).flatMap((label) =>
    values[label].map((v) => ({ label, values: v, expected: { fp32: 0, int8: 0 } })),
  );
  const golden: Golden = { input, size, windows };

  const bundle: Bundle = {
    manifest,
    dir: g.dir,
    manifestPath: join(g.dir, MANIFEST_FILE),
    modelPath: (variant) => join(g.dir, manifest.files[variant].path),
  };
  for (const variant of MODEL_VARIANTS) {
    const runtime = await openBundleRuntime(bundle, { variant });
    try {
      const scores = await goldenScores(runtime, golden);
      windows.forEach((w, i) => {
        w.expected[variant] = scores[i]!;
      });
    } finally {
      await runtime.close();
    }
  }
  return golden;
}

function rowAt(matrix: Float32Array, size: number, i: number): Float32Array {
  return matrix.slice(i * size, (i + 1) * size);
}

/** Copies of the raw windows with the given indices, numbered as featureMatrix numbers them (part after part). */
function windowsAt(
  parts: readonly Float32Array[],
  spec: FeatureSpec,
  indices: readonly number[],
): Float32Array[] {
  const found = new Map<number, Float32Array>();
  const wanted = new Set(indices);
  let index = 0;
  for (const part of parts) {
    for (const { view } of slidingWindows(part, spec)) {
      if (wanted.has(index)) found.set(index, view.slice());
      index++;
    }
  }
  return indices.map((i) => found.get(i)!);
}
