import { z } from 'zod';
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
  })
  .refine((s) => s.from <= s.to, { message: '"from" must not be after "to"', path: ['to'] })
  .refine((s) => s.p95 <= s.max && s.mean <= s.max, {
    message: 'mean and p95 must not exceed max',
    path: ['max'],
  });
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;
