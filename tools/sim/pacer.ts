/** Wall-clock time in ms and a sleep; injected so the pacing logic is testable without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Keeps a stream at its real rate: after `samples` have been sent, waits until `samples / sampleRate` seconds
 * have passed since the first call. Deadlines come from the start time, not the previous block, so timer
 * lateness never accumulates into drift.
 */
export class Pacer {
  private start: number | undefined;

  constructor(
    private readonly sampleRate: number,
    private readonly clock: Clock = systemClock,
  ) {}

  async waitFor(samples: number): Promise<void> {
    this.start ??= this.clock.now();
    const due = this.start + (samples / this.sampleRate) * 1000;
    const wait = due - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
  }
}
