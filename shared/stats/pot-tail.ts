import { z } from 'zod';
import { gpdExcessAt, gpdSurvival } from './gpd.js';

/**
 * A peaks-over-threshold tail of the normal score distribution (Siffer et al., KDD 2017, eq. 1 and 2):
 * above the initial threshold u, which a share ζ of the reference windows exceeded, excesses follow a GPD:
 *   P(score > s) = ζ · (1 + ξ·(s − u)/σ)^(−1/ξ)     for s ≥ u.
 * Stored in the bundle so the device computes p-values from the same fit that set the threshold.
 */
export const potTailSchema = z.object({
  kind: z.literal('gpd'),
  /** Initial threshold: a high empirical quantile of the reference scores. */
  u: z.number(),
  /** Share of reference windows scoring above u (N_u / n). */
  zeta: z.number().gt(0).max(1),
  /** GPD scale of the excesses over u. */
  sigma: z.number().positive(),
  /** GPD shape (0: exponential tail, < 0: bounded, > 0: heavy). */
  xi: z.number(),
  /** Number of excesses the fit used (N_u). */
  excesses: z.number().int().positive(),
});
export type PotTail = z.infer<typeof potTailSchema>;

/** P(score > s) under the tail model, for s ≥ u (ζ at and below u: the model says nothing finer there). */
export function tailSurvival(t: PotTail, s: number): number {
  return t.zeta * gpdSurvival(s - t.u, t.sigma, t.xi);
}

/**
 * The score exceeded with probability p under the tail model (SPOT's z_q = u + σ/ξ·((p/ζ)^(−ξ) − 1)).
 * p must be in (0, ζ]: at higher rates the empirical quantiles below u answer without a model.
 */
export function tailQuantile(t: PotTail, p: number): number {
  if (!(p > 0 && p <= t.zeta)) {
    throw new RangeError(`tailQuantile: rate ${p} outside (0, zeta = ${t.zeta}]`);
  }
  return t.u + gpdExcessAt(p / t.zeta, t.sigma, t.xi);
}
