import type { CaptureCounters } from './capture.js';

/**
 * Sample rate over the last `windowMs`: (samples now - samples then) / elapsed. A short window follows the
 * live rate (a stalled sender shows as a falling rate), unlike an average since the start.
 */
export class RateMeter {
  private readonly points: { t: number; samples: number }[] = [];

  constructor(private readonly windowMs = 2000) {}

  add(tMs: number, samples: number): void {
    this.points.push({ t: tMs, samples });
    while (this.points.length > 2 && this.points[1]!.t <= tMs - this.windowMs) this.points.shift();
  }

  /** Forgets the window: the rate becomes the average from `fromMs` to `toMs`. */
  reset(fromMs: number, toMs: number, samples: number): void {
    this.points.length = 0;
    this.points.push({ t: fromMs, samples: 0 }, { t: toMs, samples });
  }

  /** Samples per second, or undefined before two points span some time. */
  rate(): number | undefined {
    const first = this.points[0];
    const last = this.points.at(-1);
    if (!first || !last || last.t <= first.t) return undefined;
    return ((last.samples - first.samples) * 1000) / (last.t - first.t);
  }
}

export interface ProgressView {
  counters: CaptureCounters;
  /** Measured samples per second, per channel. */
  rate: number | undefined;
  sampleRate: number;
  maxSamples: number;
  /** e.g. `reconnecting: ENOENT` while the port is away. */
  sourceState?: string;
}

/** `3199.8 Hz | 48000/96000 samples (15.0 s / 30.0 s) | 0 bad | 0 gaps` */
export function formatProgress(v: ProgressView): string {
  const c = v.counters;
  const rate = v.rate === undefined ? '-- Hz' : `${v.rate.toFixed(1)} Hz`;
  const seconds = (n: number) => `${(n / v.sampleRate).toFixed(1)} s`;
  const amount = Number.isFinite(v.maxSamples)
    ? `${c.samples}/${v.maxSamples} samples (${seconds(c.samples)} / ${seconds(v.maxSamples)})`
    : `${c.samples} samples (${seconds(c.samples)})`;
  const gaps = c.gaps === 0 ? '0 gaps' : `${c.gaps} gaps (${c.missingFrames} frames lost)`;
  const parts = [rate, amount, `${c.bad} bad`, gaps];
  if (c.ignored > 0) parts.push(`${c.ignored} ignored`);
  if (v.sourceState) parts.push(v.sourceState);
  return parts.join(' | ');
}
