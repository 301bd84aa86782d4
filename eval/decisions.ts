import { type DetectorConfig, detectAll } from '../shared/detector/index.js';
import type { DetectorEvent, ScoredWindow } from '../shared/detector/types.js';

/** What the device decided on each window of one sensor's stream. */
export interface WindowDecisions {
  /** 1 when the window's score is over the threshold (score > threshold), else 0. */
  flagged: Uint8Array;
  /** 1 when the detector is in the raised state right after this window, else 0. */
  raised: Uint8Array;
  /** The detector's events (raised / cleared), in order. */
  events: DetectorEvent[];
}

/**
 * Runs the shared detector (the reducer the device's `detect` operator wraps) over one sensor's windows and
 * reads off its state after every window. Each event is decided by one window and carries that window's end
 * (windowEnd.sample), so the state after window w is the kind of the last event decided at or before w.
 */
export function decideWindows(config: DetectorConfig, windows: readonly ScoredWindow[]): WindowDecisions {
  const events = detectAll(config, windows);
  const flagged = new Uint8Array(windows.length);
  const raised = new Uint8Array(windows.length);
  let next = 0;
  let state = 0;
  for (let w = 0; w < windows.length; w++) {
    flagged[w] = windows[w].score > config.threshold ? 1 : 0;
    while (next < events.length && events[next].windowEnd.sample === windows[w].endSample) {
      state = events[next].kind === 'raised' ? 1 : 0;
      next++;
    }
    raised[w] = state;
  }
  if (next !== events.length) {
    throw new Error(`decideWindows: ${events.length - next} detector events match no window end`);
  }
  return { flagged, raised, events };
}
