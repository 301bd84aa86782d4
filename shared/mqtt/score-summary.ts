import { z } from 'zod';
import { MODEL_VARIANTS } from '../bundle/manifest.js';
import { isoTimeSchema } from './iso-time.js';

/** Payload of `<prefix>/<deviceId>/<sensorId>/score` (QoS 0): the window scores of one period. */
export const scoreSummarySchema = z
  .object({
    /** Times of the first and last window scored in the period. */
    from: isoTimeSchema,
    to: isoTimeSchema,
    count: z.number().int().positive(),
    mean: z.number().nonnegative(),
    p95: z.number().nonnegative(),
    max: z.number().nonnegative(),
    /** Median score (from the same sample as p95). Since contract 1.1. */
    p50: z.number().nonnegative().optional(),
    /** The threshold the scores are compared with, and the model variant that scored them. Since 1.1. */
    threshold: z.number().nonnegative().optional(),
    variant: z.enum(MODEL_VARIANTS).optional(),
  })
  .refine((s) => s.from <= s.to, { message: '"from" must not be after "to"', path: ['to'] })
  .refine((s) => s.p95 <= s.max && s.mean <= s.max, {
    message: 'mean and p95 must not exceed max',
    path: ['max'],
  });
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;
