import { z } from 'zod';
import type { Manifest } from './manifest.js';

/**
 * How closely the bundle's int8 model follows its fp32 model on the bundle's own held-out normal windows, as
 * the trainer measured it (trainer/calibration/calibrate-variants.ts) and stored it in
 * `manifest.training.summary.int8`. The manifest schema lets `training` pass through, so this parses only
 * the two figures the runtime decides on and tolerates bundles that lack them.
 */
const int8ParitySchema = z.object({
  /** Spearman rank correlation of int8 vs fp32 window scores on held-out normal windows. */
  spearmanHoldout: z.number(),
  /** (int8 threshold - fp32 threshold) / fp32 threshold. */
  thresholdShift: z.number(),
});
export type Int8Parity = z.infer<typeof int8ParitySchema>;

/** The bundle's stored int8 parity, or undefined when it was trained before it was stored (or it is malformed). */
export function int8ParityOf(manifest: Manifest): Int8Parity | undefined {
  const summary: unknown = manifest.training.summary;
  if (typeof summary !== 'object' || summary === null || !('int8' in summary)) return undefined;
  const parsed = int8ParitySchema.safeParse(summary.int8);
  return parsed.success ? parsed.data : undefined;
}
