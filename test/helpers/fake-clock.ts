import type { Clock, TimerHandle } from '../../shared/clock.js';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
  /** Repeat period for setInterval timers. */
  every?: number;
}

/**
 * Virtual time for unit tests: the one fake of the shared Clock port. Sleeps and timers fire only when the test
 * advances the clock past them, in time order, with promise callbacks settled between them.
 */
export class FakeClock implements Clock {
  private timers: Timer[] = [];
  private nextId = 1;
  constructor(public t = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.add({ at: this.t + Math.max(0, ms), fn: resolve });
    });
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return { id: this.add({ at: this.t + Math.max(0, ms), fn }) };
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = Math.max(1, ms);
    return { id: this.add({ at: this.t + every, fn, every }) };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    const id = (handle as { id?: number } | undefined)?.id;
    if (id !== undefined) this.timers = this.timers.filter((t) => t.id !== id);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    await settle();
    while (this.timers.length > 0 && this.timers[0]!.at <= until) {
      this.fire(this.timers.shift()!);
      await settle();
    }
    this.t = until;
    await settle();
  }

  /** Runs timers one by one until none is left (or `limitMs` of virtual time passed). Intervals end it. */
  async runAll(limitMs = 3_600_000): Promise<void> {
    const end = this.t + limitMs;
    await settle();
    while (this.timers.length > 0 && this.timers[0]!.at <= end) {
      const timer = this.timers.shift()!;
      this.fire(timer);
      await settle();
    }
  }

  private fire(timer: Timer): void {
    this.t = Math.max(this.t, timer.at);
    if (timer.every !== undefined) this.add({ ...timer, at: timer.at + timer.every }, timer.id);
    timer.fn();
  }

  private add(timer: Omit<Timer, 'id'>, id = this.nextId++): number {
    this.timers.push({ ...timer, id });
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    return id;
  }
}

/** Lets every queued promise callback run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
