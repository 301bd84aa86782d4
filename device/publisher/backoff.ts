/** Exponential backoff: base, 2x base, 4x base ... capped at `max`, with up to 20 % jitter downwards. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(raw * (1 - 0.2 * random()));
}
