import { z } from 'zod';
import { MODEL_VARIANTS } from '../bundle/manifest.js';
import { isoTimeSchema } from './iso-time.js';
import { topicIdSchema } from './topic-ids.js';

/**
 * Payload of `<prefix>/<deviceId>/status` (QoS 1, retained). `online` on every connect; `offline` at a clean
 * shutdown and as the Last Will, so a crash or a lost link shows too.
 */
export const statusSchema = z.object({
  state: z.enum(['online', 'offline']),
  deviceId: topicIdSchema,
  bundleId: z.string().min(1),
  startedAt: isoTimeSchema,
  /** New for every daemon start (a UUIDv7): tells a restart from a reconnect. */
  session: z.string().min(1),
  /** The bundle's signature verified against the device's model.trustedKeys (contract 1.1). */
  signed: z.boolean().optional(),
  /** The key that signed the bundle, when `signed` (contract 1.1). */
  keyId: z.string().min(1).optional(),
  /**
   * The golden self-test at load: its largest relative score error over `windows` golden windows, or `skipped`
   * for a bundle without golden windows (contract 1.1).
   */
  selfTest: z
    .union([
      z.object({ maxRelError: z.number().nonnegative(), windows: z.number().int().nonnegative() }),
      z.literal('skipped'),
    ])
    .optional(),
  /** The model variant the daemon scores with (`model.variant: auto` picks one at start). Since contract 1.1. */
  variant: z.enum(MODEL_VARIANTS).optional(),
});
export type Status = z.infer<typeof statusSchema>;
