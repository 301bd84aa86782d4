/**
 * Wall time, waiting and timers: the one clock port. Everything in the daemon that waits or repeats goes
 * through it (never the global setTimeout/setInterval), so a whole daemon runs on virtual time in a test.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Runs `fn` once after `ms`. The timer never keeps the process alive. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Runs `fn` every `ms`. The timer never keeps the process alive. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer from either call; a handle already fired or cleared is ignored. */
  clearTimer(handle: TimerHandle | undefined): void;
}

/** Opaque: whatever the clock returns for a timer. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearTimer: (handle) => {
    if (handle) clearTimeout(handle as NodeJS.Timeout);
  },
};
