import type { DetectorRule } from '../bundle/manifest.js';

/** One line naming every part of a detector rule, for reports, `thrum eval` and the trainer's summary. */
export function describeDetectorRule(d: DetectorRule): string {
  const peak = d.clearPeakRatio ? ` (or below ${d.clearPeakRatio} x the episode's peak)` : '';
  return (
    `raise on ${d.k} of ${d.n} windows over the threshold; clear after ${d.minClearWindows} below ` +
    `${d.clearRatio} x threshold${peak}; cooldown ${d.cooldownWindows}`
  );
}
