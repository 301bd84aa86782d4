/**
 * Rate limit for replays: `ratePerSec` tokens per second, bursts up to `capacity`. Pure; the caller passes
 * the time and does the waiting.
 */
export class TokenBucket {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly ratePerSec: number,
    private readonly capacity = Math.max(1, Math.ceil(ratePerSec)),
  ) {
    this.tokens = this.capacity;
  }

  /** Takes one token; returns how many ms the caller must wait before using it (0 = now). */
  reserve(now: number): number {
    if (this.last !== undefined) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.ratePerSec) / 1000);
    }
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSec);
  }
}
