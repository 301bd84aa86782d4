import { z } from 'zod';
import { bearingGeometrySchema } from '../bearing.js';

/** Feature kinds computed per channel; a spec may combine several, in this order. */
export const FEATURE_KINDS = ['raw', 'spectrum', 'stats', 'envelope'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/**
 * Bounds that keep a feature spec from a damaged or hostile manifest from allocating gigabytes before anything
 * can say it is wrong (a window of 815,742,427 samples ran the daemon out of memory). Far above what thrum
 * trains: windows of 16 to 4096 samples, 3 to 10 channels, up to 32 bands.
 */
export const MAX_WINDOW = 65_536;
export const MAX_FEATURE_CHANNELS = 64;
export const MAX_BANDS = 4096;

export const spectrumParamsSchema = z.object({
  /** Number of bands the log-magnitude spectrum is pooled into, per channel. */
  bands: z.number().int().positive().max(MAX_BANDS),
  /** Highest frequency covered by the bands, in Hz; at most sampleRate/2. */
  maxHz: z.number().positive(),
  /** Lowest frequency covered, in Hz (default 0). */
  minHz: z.number().nonnegative().default(0),
  /** Band edges spaced linearly or logarithmically. */
  scale: z.enum(['linear', 'log']).default('linear'),
});
export type SpectrumParams = z.infer<typeof spectrumParamsSchema>;

/** Bearing defect lines measured in the envelope spectrum (BPFO, BPFI, BSF, FTF and harmonics). */
export const defectLinesSchema = z.object({
  /** Shaft speed, Hz (rpm / 60). */
  shaftHz: z.number().positive(),
  bearing: bearingGeometrySchema,
  /** Harmonics of each defect frequency, 1 = the fundamental only. */
  harmonics: z.number().int().min(1).max(5).default(2),
  /** Half-width of each line's band, relative to its frequency (slip moves real lines by 1-2 %). */
  tolerance: z.number().positive().max(0.2).default(0.02),
});
export type DefectLines = z.infer<typeof defectLinesSchema>;

/**
 * The `envelope` kind (rolling-element bearings): band-pass around the resonance that defect impacts ring,
 * Hilbert envelope, and the envelope's spectrum pooled into bands like `spectrum` (bands/maxHz/minHz/scale
 * describe the envelope spectrum), plus optional defect lines.
 */
export const envelopeParamsSchema = z.object({
  /** Band-pass edges, Hz: the structural resonance the impacts excite. */
  bandLoHz: z.number().positive(),
  bandHiHz: z.number().positive(),
  bands: z.number().int().positive(),
  maxHz: z.number().positive(),
  minHz: z.number().nonnegative().default(0),
  scale: z.enum(['linear', 'log']).default('linear'),
  defects: defectLinesSchema.optional(),
});
export type EnvelopeParams = z.infer<typeof envelopeParamsSchema>;

export const featureSpecSchema = z.object({
  kinds: z.array(z.enum(FEATURE_KINDS)).min(1),
  /** Samples per window, per channel. */
  window: z.number().int().positive().max(MAX_WINDOW),
  /** Samples between window starts, per channel; may exceed window (gaps are skipped). */
  hop: z
    .number()
    .int()
    .positive()
    .max(2 ** 31),
  channels: z.number().int().positive().max(MAX_FEATURE_CHANNELS),
  sampleRate: z.number().positive(),
  spectrum: spectrumParamsSchema.optional(),
  envelope: envelopeParamsSchema.optional(),
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
