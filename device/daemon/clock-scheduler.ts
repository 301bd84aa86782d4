import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import type { Clock, TimerHandle } from '../../shared/clock.js';

/**
 * An RxJS scheduler on the Clock port, so the pipeline's batching waits and window times run on the same
 * clock as the rest of the daemon (virtual time in a test, Date.now and unref'd timers in production).
 */
export function clockScheduler(clock: Clock): SchedulerLike {
  return {
    now: () => clock.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new ClockAction(clock, work).schedule(state, delay);
    },
  };
}

/** One scheduled piece of work; `this.schedule()` inside it reschedules it, as with asyncScheduler. */
class ClockAction<T> extends Subscription implements SchedulerAction<T> {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
    this.add(() => this.cancel());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.cancel();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.work.call(this, state);
      if (this.timer === undefined) this.unsubscribe();
    }, delay);
    return this;
  }

  private cancel(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
