import { FeatureExtractor, fitNormalization } from '../shared/features/extractor.js';
import type { FeatureSpec, Normalization } from '../shared/features/spec.js';
import { perturbWindows } from './calibration/synthetic-anomalies.js';
import { featureMatrix, rawWindows, requireWindows, splitRecordings } from './dataset.js';
import { loadRecordings } from './loaders/load-recordings.js';
import type { Recording } from './loaders/recording.js';
import { SeededRandom } from './model/seeded-random.js';
import type { TrainOptions } from './options.js';
import { resolveSpec } from './resolve-spec.js';

/** Synthetic anomalous windows made per run (from holdout windows); enough for a stable rank correlation. */
const ANOMALOUS_WINDOWS = 500;

/** Normalized feature matrices, row-major [windows, extractor.size]. */
export interface PreparedData {
  recordings: Recording[];
  spec: FeatureSpec;
  normalization: Normalization;
  extractor: FeatureExtractor;
  train: Float32Array;
  val: Float32Array;
  holdout: Float32Array;
  /** Holdout windows with synthetic faults (see synthetic-anomalies.ts). */
  anomalous: Float32Array;
  /** The raw samples behind `holdout` (the holdout segments) and `anomalous` (window after window), for golden.json. */
  raw: { holdout: Float32Array[]; anomalous: Float32Array };
  /** Training segments' raw samples (for data warnings). */
  trainSegments: Float32Array[];
  samplesPerChannel: number;
}

export function windowsIn(matrix: Float32Array, data: PreparedData): number {
  return matrix.length / data.extractor.size;
}

/** Loads, splits by time, fits normalization on the training part only, and extracts features (shared/ code). */
export function prepareData(
  options: TrainOptions,
  holdoutShare: number,
  valSplit: number,
  seed: number,
): PreparedData {
  const recordings = loadRecordings(options.data, options);
  const { names, channels } = recordings[0];
  const spec = resolveSpec(recordings, options);
  const segments = splitRecordings(recordings, holdoutShare, valSplit);
  const samplesPerChannel = recordings.reduce((n, r) => n + r.samples.length / r.channels, 0);
  requireWindows(segments, spec, samplesPerChannel);

  const normalization = fitNormalization(spec, segments.train);
  const extractor = new FeatureExtractor(spec, normalization, names);
  const raw = rawWindows(segments.holdout, spec, ANOMALOUS_WINDOWS);
  const perturbed = perturbWindows(
    raw,
    channels,
    spec.window,
    normalization.channelStd,
    new SeededRandom(seed + 1),
  );
  return {
    recordings,
    spec,
    normalization,
    extractor,
    train: featureMatrix(segments.train, extractor, spec),
    val: featureMatrix(segments.val, extractor, spec),
    holdout: featureMatrix(segments.holdout, extractor, spec),
    anomalous: featureMatrix([perturbed], extractor, { ...spec, hop: spec.window }),
    raw: { holdout: segments.holdout, anomalous: perturbed },
    trainSegments: segments.train,
    samplesPerChannel,
  };
}
