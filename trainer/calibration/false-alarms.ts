import type { FarInterval } from './far-interval.js';

const SECONDS_PER_DAY = 86400;

/** A per-window false-alarm rate turned into flagged normal windows per day at the stream's window rate. */
export interface FalseAlarmsPerDay {
  windowsPerDay: number;
  estimate: number;
  lo: number;
  hi: number;
}

/** Windows per day = sampleRate / hop × 86400; each bound of the rate's interval scaled by it. */
export function falseAlarmsPerDay(far: FarInterval, sampleRate: number, hop: number): FalseAlarmsPerDay {
  const windowsPerDay = (sampleRate / hop) * SECONDS_PER_DAY;
  return {
    windowsPerDay,
    estimate: far.estimate * windowsPerDay,
    lo: far.lo * windowsPerDay,
    hi: far.hi * windowsPerDay,
  };
}

/**
 * The rate's interval is "too wide to promise the target" when its upper end is above twice the target: a rate
 * extrapolated from a tail is good to a factor, and beyond 2x the data cannot tell the target from much worse.
 */
export const PROMISE_FACTOR = 2;

export function promisesTarget(far: FarInterval, targetFar: number): boolean {
  return far.hi <= PROMISE_FACTOR * targetFar;
}

const count = (x: number) =>
  x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 1 ? x.toFixed(1) : x.toPrecision(2);

/**
 * One line for the summary and the report, e.g. `0.005 of windows (90 %: 0.002-0.011) = 405 flagged normal
 * windows/day (162-891); at most 1/3 of that can raise alerts (k = 3)`. The k-of-n rule needs k flagged windows
 * per alert and does not reuse them after a raise, so alerts/day ≤ flagged windows/day ÷ k.
 */
export function describeFalseAlarms(far: FarInterval, perDay: FalseAlarmsPerDay, k: number): string {
  const rate = (x: number) => x.toPrecision(2);
  return (
    `${rate(far.estimate)} of windows (90 %: ${rate(far.lo)}-${rate(far.hi)}) = ${count(perDay.estimate)} flagged ` +
    `normal windows/day (${count(perDay.lo)}-${count(perDay.hi)}) at ${count(perDay.windowsPerDay)} windows/day; ` +
    `alerts/day at most 1/${k} of that (k = ${k})`
  );
}
