import type { FaultInterval } from './schedule.js';

/**
 * The ground truth of a fault schedule, one `0`/`1` line per sample row (the `thrum eval --label-file` format):
 * a row is 1 while any fault is active at its sample, the same [start, end) sample spans the simulator uses.
 */
export function faultLabels(faults: readonly FaultInterval[], sampleRate: number) {
  const spans = faults.map((f) => ({
    start: Math.round(f.start * sampleRate),
    end: Number.isFinite(f.end) ? Math.round(f.end * sampleRate) : Number.POSITIVE_INFINITY,
  }));
  const active = (n: number) => spans.some((s) => n >= s.start && n < s.end);
  return {
    /** Label lines for rows [first, first + n). */
    lines(first: number, n: number): string {
      let out = '';
      for (let i = first; i < first + n; i++) out += active(i) ? '1\n' : '0\n';
      return out;
    },
  };
}
