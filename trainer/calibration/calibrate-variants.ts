import { openOrtEngine } from '../../runtime/engines/ort-engine.js';
import { reconstructFeatureRows, scoreFeatureRows } from '../../runtime/scoring/score-matrix.js';
import { createScorer } from '../../runtime/scoring/scorer.js';
import type { ModelVariant, VariantCalibration } from '../../shared/bundle/manifest.js';
import type { FeatureGroup } from '../../shared/features/spec.js';
import { INPUT_NAME, OUTPUT_NAME } from '../onnx/graph.js';
import { spearman } from './spearman.js';
import {
  calibrateThreshold,
  exceedRate,
  referenceQuantiles,
  type ThresholdCalibration,
} from './threshold.js';

export interface VariantScores {
  holdout: Float64Array;
  anomalous: Float64Array;
}

/** How closely int8 follows fp32: what the bundle's parity check reports. */
export interface Int8Agreement {
  /** (int8 threshold - fp32 threshold) / fp32 threshold. */
  thresholdShift: number;
  spearmanHoldout: number;
  spearmanAnomalous: number;
  /** Share of windows where both variants, each at its own threshold, make the same call. */
  decisionAgreementHoldout: number;
  decisionAgreementAnomalous: number;
}

export interface VariantReport {
  calibration: VariantCalibration;
  /** How the threshold was set: tail fit or conservative rule, expected FAR with its interval. */
  fit: ThresholdCalibration;
  scores: VariantScores;
  /** Share of holdout windows above the threshold (near targetFar; 0 under the conservative rule). */
  holdoutFar: number;
  /** Share of synthetic anomalous windows above the threshold. */
  anomalyDetectRate: number;
}

export interface CalibrationResult {
  variants: Record<ModelVariant, VariantReport>;
  agreement: Int8Agreement;
  /** fp32 reconstructions of the holdout and the anomalous windows (export parity, the report's charts). */
  holdoutRecon: Float32Array;
  anomalousRecon: Float32Array;
}

function agree(a: Float64Array, ta: number, b: Float64Array, tb: number): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > ta === b[i] > tb) same++;
  return a.length ? same / a.length : 1;
}

/** The feature layout of the matrices: vector width and groups (a FeatureExtractor is one). */
export interface FeatureLayout {
  size: number;
  groups: readonly FeatureGroup[];
}

/**
 * Scores held-out normal windows and synthetic anomalous windows with both ONNX variants through the runtime
 * the device runs (its ORT engine and session options, its scorer: one score formula), sets each variant's
 * threshold at the target false-alarm rate from a tail fit of its holdout scores (calibrateThreshold), stores
 * its reference quantiles and tail, and measures int8 against fp32.
 */
export async function calibrateVariants(
  models: Record<ModelVariant, Uint8Array>,
  holdout: Float32Array,
  anomalous: Float32Array,
  layout: FeatureLayout,
  targetFar: number,
): Promise<CalibrationResult> {
  const variants = {} as Record<ModelVariant, VariantReport>;
  let holdoutRecon: Float32Array = new Float32Array(0);
  let anomalousRecon: Float32Array = new Float32Array(0);
  const io = { inputName: INPUT_NAME, outputName: OUTPUT_NAME, inputSize: layout.size };
  for (const variant of ['fp32', 'int8'] as const) {
    const engine = await openOrtEngine(models[variant], io);
    try {
      if (variant === 'fp32') {
        holdoutRecon = await reconstructFeatureRows(engine, holdout);
        anomalousRecon = await reconstructFeatureRows(engine, anomalous);
      }
      const scorer = createScorer(engine, layout.groups);
      const scores = {
        holdout: await scoreFeatureRows(scorer, holdout),
        anomalous: await scoreFeatureRows(scorer, anomalous),
      };
      const fit = calibrateThreshold(scores.holdout, targetFar);
      const { threshold } = fit;
      variants[variant] = {
        calibration: {
          threshold,
          targetFar,
          reference: { ...referenceQuantiles(scores.holdout), ...(fit.tail ? { tail: fit.tail } : {}) },
          thresholdMethod: fit.method,
          expectedFar: fit.far,
        },
        fit,
        scores,
        holdoutFar: exceedRate(scores.holdout, threshold),
        anomalyDetectRate: exceedRate(scores.anomalous, threshold),
      };
    } finally {
      await engine.close();
    }
  }
  const { fp32, int8 } = variants;
  const t32 = fp32.calibration.threshold;
  const t8 = int8.calibration.threshold;
  return {
    variants,
    holdoutRecon,
    anomalousRecon,
    agreement: {
      thresholdShift: t32 > 0 ? (t8 - t32) / t32 : 0,
      spearmanHoldout: spearman(fp32.scores.holdout, int8.scores.holdout),
      spearmanAnomalous: spearman(fp32.scores.anomalous, int8.scores.anomalous),
      decisionAgreementHoldout: agree(fp32.scores.holdout, t32, int8.scores.holdout, t8),
      decisionAgreementAnomalous: agree(fp32.scores.anomalous, t32, int8.scores.anomalous, t8),
    },
  };
}
