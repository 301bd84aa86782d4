import { z } from 'zod';
import { isoTimeSchema } from './iso-time.js';
import { topicIdSchema } from './topic-ids.js';

/** Conditions an operator should see at a glance. */
export const HEALTH_FLAGS = [
  'brokerDisconnected',
  'serialSilent',
  'outboxDiskFull',
  'outboxQuarantined',
  'publishRejected',
  'outboxWriteFailed',
  /** The running bundle is not signed by a trusted key (model.trustedKeys is empty). */
  'bundleUnsigned',
  'sampleRateMismatch',
] as const;

export type HealthFlag = (typeof HEALTH_FLAGS)[number];

/** One module's counters and state, as plain JSON. */
const sectionSchema = z.record(z.string(), z.json());

/**
 * Payload of `<prefix>/<deviceId>/health` (QoS 0), periodic. `sections` holds one entry per module; the
 * daemon reports at least `serial`, `frames`, `inference` and `outbox` (counters of bytes, frames, bad
 * frames, gaps, windows, pending alerts, evictions...). Unknown flags and sections are allowed, so newer
 * daemons stay readable.
 */
export const healthSchema = z.object({
  deviceId: topicIdSchema,
  at: isoTimeSchema,
  uptimeMs: z.number().nonnegative(),
  /** Raised conditions (HEALTH_FLAGS, or newer ones); empty when all is well. */
  flags: z.array(z.string().min(1)),
  sections: z.record(z.string(), sectionSchema),
  process: z.object({ rssBytes: z.number().nonnegative(), heapUsedBytes: z.number().nonnegative() }),
});
export type Health = z.infer<typeof healthSchema>;
