import { z } from 'zod';
import { MODEL_VARIANTS } from '../bundle/manifest.js';
import { isoTimeSchema } from './iso-time.js';
import { topicIdSchema } from './topic-ids.js';
import { uuidv7Schema } from './uuidv7.js';

/** A feature group's share of the window's squared reconstruction error, e.g. `{group: 'x/spectrum', share: 0.62}`. */
export const contributionSchema = z.object({
  /** Feature group name `<channel>/<kind>` (see shared/features). */
  group: z.string().min(1),
  share: z.number().min(0).max(1),
});

/** The position of an alert in a replayed file, besides the wall-clock `windowStart`/`windowEnd`. */
export const alertSourceSchema = z.object({
  /** The file the daemon reads (`serial.path`). */
  file: z.string().min(1),
  /**
   * The sensor's sample index (0-based data rows of the file) of the deciding point: for `raised` the start of
   * the first over-threshold window of the evidence, for `cleared` the end of the window that cleared it.
   */
  sampleOffset: z.number().int().nonnegative(),
  /** sampleOffset / serial.sampleRate: seconds from the start of the recording. */
  secondsFromStart: z.number().nonnegative(),
});

/**
 * Payload of `<prefix>/<deviceId>/<sensorId>/alert` (QoS 1). At-least-once: a consumer may see an alert
 * twice and deduplicates by `alertId`.
 */
export const alertSchema = z.object({
  /** UUIDv7, unique forever; sorts by creation time. */
  alertId: uuidv7Schema,
  deviceId: topicIdSchema,
  sensorId: topicIdSchema,
  /** 1, 2, 3, ... per sensor, across daemon restarts; a gap not covered by an `evicted` record is a loss. */
  seq: z.number().int().positive(),
  kind: z.enum(['raised', 'cleared']),
  /** Window score (MSE of the reconstruction) that decided, and the threshold it was compared with. */
  score: z.number().nonnegative(),
  threshold: z.number().nonnegative(),
  /** Share of normal windows expected to score above `score` (from the bundle's tail fit when it has one). */
  pValue: z.number().min(0).max(1),
  windowStart: isoTimeSchema,
  windowEnd: isoTimeSchema,
  bundleId: z.string().min(1),
  modelVariant: z.enum(MODEL_VARIANTS),
  /** Largest first; names which axis or band is off. */
  contributions: z.array(contributionSchema),
  /** True when replayed from the outbox after a delay (the broker was unreachable when it happened). */
  historical: z.boolean(),
  /**
   * Where in the recording the alert happened, when the daemon replays a file (`serial.source: file`); absent
   * for live sources. Since contract 1.1.
   */
  source: alertSourceSchema.optional(),
});
export type Alert = z.infer<typeof alertSchema>;
export type Contribution = z.infer<typeof contributionSchema>;
