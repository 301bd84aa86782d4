import { z } from 'zod';
import { featureSpecSchema, normalizationSchema } from '../features/spec.js';
import { potTailSchema } from '../stats/pot-tail.js';

export const MANIFEST_SCHEMA_VERSION = 1;
export const MODEL_VARIANTS = ['fp32', 'int8'] as const;
export type ModelVariant = (typeof MODEL_VARIANTS)[number];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters (sha256)');

/**
 * Largest model file read: ONNX Runtime parses the whole file into memory before it can say it is junk, and a
 * thrum autoencoder is a few KiB to a few MiB.
 */
export const MAX_MODEL_BYTES = 256 * 1024 * 1024;

export const modelFileSchema = z.object({
  /** Path relative to the bundle directory. */
  path: z.string().min(1).max(1024, 'expected a file name of at most 1024 characters'),
  sha256,
  bytes: z
    .number()
    .int()
    .positive()
    .max(MAX_MODEL_BYTES, `a model file is at most ${MAX_MODEL_BYTES} bytes (256 MiB)`),
});

/** Sorted score quantiles of held-out normal windows: p-value of score s = share of reference above s. */
export const referenceQuantilesSchema = z.object({
  probs: z.array(z.number().min(0).max(1)).min(2),
  scores: z.array(z.number()).min(2),
  /** Number of reference windows summarized; floors p-values at 1/(count+1). */
  count: z.number().int().positive().optional(),
  /**
   * Optional GPD tail fitted to the same windows (the fit that set the threshold). When present, p-values of
   * scores above tail.u come from it, without the 1/(count+1) floor. It lives here, beside the quantiles it
   * extends, because `reference` is what the device hands the detector; bundles without it keep the
   * empirical p-value.
   */
  tail: potTailSchema.optional(),
});
export type ReferenceQuantiles = z.infer<typeof referenceQuantilesSchema>;

export const variantCalibrationSchema = z.object({
  /** Window score above which a window counts as anomalous. */
  threshold: z.number().nonnegative(),
  /** Target false-alarm rate (share of normal windows) the threshold was set at. */
  targetFar: z.number().min(0).max(1),
  reference: referenceQuantilesSchema,
  /**
   * How the threshold was set (absent in older bundles: the empirical holdout quantile):
   * `gpd-tail` = reference.tail's quantile at targetFar; `conservative` = the fallback when no tail could be
   * trusted (max of the holdout maximum and an exponential tail's quantile; see trainer/calibration).
   */
  thresholdMethod: z.enum(['gpd-tail', 'conservative']).optional(),
  /**
   * False-alarm rate per window expected at the threshold, with a 90 % interval (moving-block bootstrap of the
   * tail fit, or Clopper-Pearson on the holdout for the conservative rule).
   */
  expectedFar: z
    .object({
      estimate: z.number().min(0).max(1),
      lo: z.number().min(0).max(1),
      hi: z.number().min(0).max(1),
    })
    .optional(),
});
export type VariantCalibration = z.infer<typeof variantCalibrationSchema>;

export const detectorRuleSchema = z.object({
  /** Raise when at least k of the last n windows exceed the threshold. */
  k: z.number().int().positive(),
  n: z.number().int().positive(),
  /** Clear level as a fraction of the threshold (hysteresis), in (0, 1]. */
  clearRatio: z.number().gt(0).max(1),
  /** Consecutive windows under the clear level needed to clear. */
  minClearWindows: z.number().int().positive(),
  /** Windows after a clear during which no new raise happens. */
  cooldownWindows: z.number().int().nonnegative(),
  /**
   * Peak-relative clear, in [0, 1); absent or 0 = off. A raised episode also counts a window as quiet when its
   * score is below this fraction of the episode's peak: after a severe event (peak 1000x the threshold) the
   * machine settling at 1-2x the threshold ends that episode; if the new level stays over the threshold a new
   * episode is raised by the k-of-n rule, with its own peak.
   */
  clearPeakRatio: z.number().min(0).lt(1).optional(),
});
export type DetectorRule = z.infer<typeof detectorRuleSchema>;

export const manifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  bundleId: z.string().min(1),
  createdAt: z.string().datetime(),
  channelNames: z.array(z.string().min(1)).min(1),
  sampleRate: z.number().positive(),
  features: featureSpecSchema,
  normalization: normalizationSchema,
  model: z.object({
    kind: z.enum(['ae', 'vae', 'pca']),
    inputName: z.string().min(1),
    outputName: z.string().min(1),
    inputSize: z.number().int().positive(),
    /** Dense layer widths from input to bottleneck (the decoder mirrors them). */
    layers: z.array(z.number().int().positive()).min(1),
    opset: z.number().int().min(17),
  }),
  files: z.object({
    fp32: modelFileSchema,
    int8: modelFileSchema,
    /**
     * Golden windows with the scores the trainer measured (golden.ts); the device re-scores them at every load.
     * Absent in bundles written before it existed: their self-test is skipped.
     */
    golden: modelFileSchema.optional(),
  }),
  /** Window score = mean squared error of the reconstruction over the normalized feature vector. */
  score: z.literal('mse'),
  variants: z.object({
    fp32: variantCalibrationSchema,
    int8: variantCalibrationSchema,
  }),
  detector: detectorRuleSchema,
  training: z
    .object({
      files: z.array(z.string()),
      windows: z.number().int().nonnegative(),
      trainWindows: z.number().int().nonnegative(),
      holdoutWindows: z.number().int().nonnegative(),
      backend: z.string(),
      seed: z.number().int(),
      epochs: z.number().int().nonnegative(),
      durationMs: z.number().nonnegative(),
    })
    .passthrough(),
});
export type Manifest = z.infer<typeof manifestSchema>;
