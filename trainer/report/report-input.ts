import type { Manifest, ModelVariant } from '../../shared/bundle/manifest.js';
import type { FeatureExtractor } from '../../shared/features/extractor.js';
import type { TrainingSummary } from '../summary.js';

/** One set of windows as the trainer saw it: features, reconstructions, bottleneck codes and scores. */
export interface WindowSet {
  /** Standardized feature rows, row-major [windows, extractor.size]. */
  features: Float32Array;
  /** fp32 ONNX reconstructions of `features`, the same shape. */
  recon: Float32Array;
  /** Bottleneck codes, row-major [windows, manifest.model.layers.at(-1)]. */
  codes: Float32Array;
  /** Each variant's score of each window, through runtime/ (what the thresholds were set on). */
  scores: Record<ModelVariant, Float64Array>;
}

/**
 * Everything report.html is drawn from, and nothing else: a new line or chart in the report starts as a
 * field here (or in TrainingSummary, which the manifest stores too).
 */
export interface ReportInput {
  manifest: Manifest;
  summary: TrainingSummary;
  /** The feature layout (groups, labels, spec, normalization) the windows were extracted with. */
  extractor: FeatureExtractor;
  /** Held-out normal windows: the thresholds' calibration set. */
  holdout: WindowSet;
  /** Synthetic anomalous windows (perturbed holdout windows, see calibration/synthetic-anomalies.ts). */
  anomalous: WindowSet;
}
