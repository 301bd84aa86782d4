// Why a separate topic and not a third `kind` on the alert topic: alert consumers (dashboards, `$share`
// collectors) keep one payload shape, and a consumer that checks for loss subscribes to both. The record
// is QoS 1 and goes through the outbox like an alert, ahead of the alerts still pending for its sensor, so
// it arrives before the gap it explains becomes visible (see seq-gaps.ts for the receiver side).
import { z } from 'zod';
import { isoTimeSchema } from './iso-time.js';
import { topicIdSchema } from './topic-ids.js';
import { uuidv7Schema } from './uuidv7.js';

export const EVICTION_REASONS = ['age', 'size', 'ram'] as const;

/**
 * Payload of `<prefix>/<deviceId>/<sensorId>/evicted` (QoS 1): the outbox dropped `count` unpublished alerts
 * with seqs in [fromSeq, toSeq] because of `reason` (`age`: older than outbox.maxAgeDays, `size`: over
 * outbox.maxBytes, `ram`: the disk was full and the RAM buffer overflowed). Seqs in the range not counted
 * were published normally.
 */
export const evictedSchema = z
  .object({
    kind: z.literal('evicted'),
    /** UUIDv7; consumers deduplicate by it. */
    evictionId: uuidv7Schema,
    deviceId: topicIdSchema,
    sensorId: topicIdSchema,
    fromSeq: z.number().int().positive(),
    toSeq: z.number().int().positive(),
    count: z.number().int().positive(),
    reason: z.enum(EVICTION_REASONS),
    /** When the (latest) eviction this record covers happened. */
    at: isoTimeSchema,
  })
  .refine((e) => e.fromSeq <= e.toSeq, { message: 'fromSeq must not exceed toSeq', path: ['toSeq'] })
  .refine((e) => e.count <= e.toSeq - e.fromSeq + 1, {
    message: 'count must not exceed the size of [fromSeq, toSeq]',
    path: ['count'],
  });
export type Evicted = z.infer<typeof evictedSchema>;
