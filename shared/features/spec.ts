import { z } from 'zod';

/** Feature kinds computed per channel; a spec may combine several, in this order. */
export const FEATURE_KINDS = ['raw', 'spectrum', 'stats'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

export const spectrumParamsSchema = z.object({
  /** Number of bands the log-magnitude spectrum is pooled into, per channel. */
  bands: z.number().int().positive(),
  /** Highest frequency covered by the bands, in Hz; at most sampleRate/2. */
  maxHz: z.number().positive(),
  /** Lowest frequency covered, in Hz (default 0). */
  minHz: z.number().nonnegative().default(0),
  /** Band edges spaced linearly or logarithmically. */
  scale: z.enum(['linear', 'log']).default('linear'),
});
export type SpectrumParams = z.infer<typeof spectrumParamsSchema>;

export const featureSpecSchema = z.object({
  kinds: z.array(z.enum(FEATURE_KINDS)).min(1),
  /** Samples per window, per channel. */
  window: z.number().int().positive(),
  /** Samples between window starts, per channel; may exceed window (gaps are skipped). */
  hop: z.number().int().positive(),
  channels: z.number().int().positive(),
  sampleRate: z.number().positive(),
  spectrum: spectrumParamsSchema.optional(),
});
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

/**
 * Statistics fitted on training data. `channelMean/channelStd` standardize samples per channel before any
 * feature (this is the `raw` feature's standardization); `featureMean/featureStd` standardize the final
 * feature vector, element by element, before it enters the model.
 */
export const normalizationSchema = z.object({
  channelMean: z.array(z.number()),
  channelStd: z.array(z.number().positive()),
  featureMean: z.array(z.number()),
  featureStd: z.array(z.number().positive()),
});
export type Normalization = z.infer<typeof normalizationSchema>;

/** A named slice [start, end) of the feature vector, e.g. `x/raw`, `y/spectrum`, `z/stats`. */
export interface FeatureGroup {
  name: string;
  channel: number;
  kind: FeatureKind;
  start: number;
  end: number;
}
