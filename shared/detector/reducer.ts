import type { DetectorConfig } from './config.js';
import { pValueOf } from './p-value.js';
import type { DetectorEvent, DetectorEventKind, ScoredWindow, WindowBound } from './types.js';

/**
 * One sensor's detector state. `normal`: the last (up to) n windows, each kept when it was over the threshold
 * (null when not), and how many windows of the cooldown are left. `raised`: where the episode started, its peak
 * window and how many windows in a row have been below the clear level.
 */
export type DetectorState =
  | { phase: 'normal'; recent: readonly (ScoredWindow | null)[]; cooldownLeft: number }
  | { phase: 'raised'; start: WindowBound; peak: ScoredWindow; quietRun: number };

export interface DetectorStep {
  state: DetectorState;
  /** At most one event per step. */
  events: DetectorEvent[];
}

export const initialDetectorState: DetectorState = { phase: 'normal', recent: [], cooldownLeft: 0 };

/**
 * The detector rule as a pure reducer over one sensor's windows, in order:
 * - raise when the window is over the threshold (score > threshold) and at least k of the last n windows
 *   (this one included) were, unless a cooldown is running;
 * - once raised, clear after minClearWindows consecutive windows with score < clearRatio x threshold, or (with a
 *   clearPeakRatio) < clearPeakRatio x the episode's peak score so far, whichever level is higher;
 * - after a clear, the next cooldownWindows windows cannot raise (they still count towards the next k-of-n).
 */
export function stepDetector(config: DetectorConfig, state: DetectorState, w: ScoredWindow): DetectorStep {
  return state.phase === 'normal' ? stepNormal(config, state, w) : stepRaised(config, state, w);
}

function stepNormal(
  config: DetectorConfig,
  state: Extract<DetectorState, { phase: 'normal' }>,
  w: ScoredWindow,
): DetectorStep {
  const { k, n } = config.rule;
  const over = w.score > config.threshold;
  const recent = [...state.recent.slice(Math.max(0, state.recent.length - (n - 1))), over ? w : null];
  if (state.cooldownLeft > 0) {
    return { state: { phase: 'normal', recent, cooldownLeft: state.cooldownLeft - 1 }, events: [] };
  }
  const evidence = recent.filter((r): r is ScoredWindow => r !== null);
  if (!over || evidence.length < k) {
    return { state: { phase: 'normal', recent, cooldownLeft: 0 }, events: [] };
  }
  const peak = evidence.reduce((a, b) => (b.score > a.score ? b : a));
  const start = { sample: evidence[0].startSample, timeMs: evidence[0].startTimeMs };
  return {
    state: { phase: 'raised', start, peak, quietRun: 0 },
    events: [event('raised', config, peak, start, w)],
  };
}

function stepRaised(
  config: DetectorConfig,
  state: Extract<DetectorState, { phase: 'raised' }>,
  w: ScoredWindow,
): DetectorStep {
  const peak = w.score > state.peak.score ? w : state.peak;
  const level = Math.max(config.clearLevel, (config.rule.clearPeakRatio ?? 0) * peak.score);
  const quietRun = w.score < level ? state.quietRun + 1 : 0;
  if (quietRun < config.rule.minClearWindows) {
    return { state: { phase: 'raised', start: state.start, peak, quietRun }, events: [] };
  }
  return {
    state: { phase: 'normal', recent: [], cooldownLeft: config.rule.cooldownWindows },
    events: [event('cleared', config, peak, state.start, w)],
  };
}

function event(
  kind: DetectorEventKind,
  config: DetectorConfig,
  peak: ScoredWindow,
  start: WindowBound,
  last: ScoredWindow,
): DetectorEvent {
  return {
    kind,
    sensorId: last.sensorId,
    score: peak.score,
    threshold: config.threshold,
    pValue: pValueOf(config.reference, peak.score),
    windowStart: start,
    windowEnd: { sample: last.endSample, timeMs: last.endTimeMs },
    contributions: peak.contributions,
  };
}
