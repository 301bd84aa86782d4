import { type Clock, systemClock } from '../../shared/clock.js';

/** What pacing needs of the shared clock port. */
export type PaceClock = Pick<Clock, 'now' | 'sleep'>;

/**
 * Keeps a stream at its real rate: after `samples` have been sent, waits until `samples / sampleRate` seconds
 * have passed since the first call. Deadlines come from the start time, not the previous block, so timer
 * lateness never accumulates into drift.
 */
export class Pacer {
  private start: number | undefined;

  constructor(
    private readonly sampleRate: number,
    private readonly clock: PaceClock = systemClock,
  ) {}

  async waitFor(samples: number): Promise<void> {
    this.start ??= this.clock.now();
    const due = this.start + (samples / this.sampleRate) * 1000;
    const wait = due - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
  }
}
