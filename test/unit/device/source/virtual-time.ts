import { VirtualTimeScheduler } from 'rxjs';

/** Lets pending promise callbacks (driver opens, closes) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A VirtualTimeScheduler that can be advanced by a number of ms while promises resolve in between, for code that
 * mixes scheduler timers with async I/O.
 */
export class VirtualClock {
  readonly scheduler = new VirtualTimeScheduler();

  get now(): number {
    return this.scheduler.now();
  }

  async advance(ms: number): Promise<void> {
    const s = this.scheduler;
    const target = s.frame + ms;
    for (;;) {
      await settle();
      const next = s.actions.find((a) => a.delay <= target);
      if (!next) break;
      s.maxFrames = Math.min(...s.actions.map((a) => a.delay));
      s.flush();
    }
    s.frame = target;
    await settle();
  }

  /** True when a timer is scheduled (so advancing time can make progress without waiting on I/O). */
  get hasPending(): boolean {
    return this.scheduler.actions.some((a) => !a.closed);
  }

  /** Waits (in real time) until real I/O has produced a scheduled timer or `done()` holds. */
  async untilPending(done: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.hasPending && !done()) {
      if (Date.now() > deadline) throw new Error('VirtualClock: nothing got scheduled');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
