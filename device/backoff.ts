export interface Backoff {
  /** Delay before the first retry, ms. */
  initialMs: number;
  /** Upper bound of the delay, ms. */
  maxMs: number;
  /** Growth per failed attempt. */
  factor: number;
  /** Up to this share is taken off each delay at random (0.2: up to 20 % shorter), so that many devices
   * that lost the same broker do not all come back in the same instant. 0: exact delays. */
  jitter: number;
}

/** Delay before retry number `attempt` (0-based): initialMs x factor^attempt, capped at maxMs, less jitter. */
export function backoffDelay(b: Backoff, attempt: number, random: () => number = Math.random): number {
  // `|| 0`: with initialMs 0 a huge attempt gives 0 x Infinity = NaN.
  const raw = Math.min(b.maxMs, b.initialMs * b.factor ** attempt) || 0;
  return b.jitter > 0 ? Math.round(raw * (1 - b.jitter * random())) : raw;
}
