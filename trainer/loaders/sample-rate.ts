import { parseTimestamp } from './timestamp.js';

/**
 * Infers a sample rate from date-time strings (e.g. SKAB's `2020-03-09 10:14:33`, IMS's `2004.02.12.10.32.39`): 1 / median step. The
 * median ignores the occasional gap. Undefined when the values are not dates or do not advance.
 */
export function inferSampleRate(stamps: string[]): number | undefined {
  const times = stamps.map((s) => parseTimestamp(s) ?? Number.NaN);
  if (times.length < 2 || times.some((t) => !Number.isFinite(t))) return undefined;
  const steps: number[] = [];
  for (let i = 1; i < times.length; i++) steps.push(times[i] - times[i - 1]);
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)];
  return median > 0 ? 1000 / median : undefined;
}
