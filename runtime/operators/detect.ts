import { mergeMap, type OperatorFunction, scan } from 'rxjs';
import type { DetectorRule, VariantCalibration } from '../../shared/bundle/manifest.js';
import { detectorConfig } from '../../shared/detector/config.js';
import { type SensorStates, stepSensors } from '../../shared/detector/sensors.js';
import type { DetectorEvent, ScoredWindow } from '../../shared/detector/types.js';

/**
 * Scored windows -> `raised` / `cleared` events: the shared detector reducer (shared/detector/), one state per
 * sensor, wrapped in `scan`. Events are emitted synchronously with the window that decides them, so the
 * operator needs no scheduler. Throws ThrumError at once (not on subscription) when the rule or the
 * calibration cannot work, e.g. k > n.
 */
export function detect(
  rule: DetectorRule,
  calibration: Pick<VariantCalibration, 'threshold' | 'reference'>,
): OperatorFunction<ScoredWindow, DetectorEvent> {
  const config = detectorConfig(rule, calibration);
  const seed = { states: new Map() as SensorStates, events: [] as DetectorEvent[] };
  // The seed can be shared by every subscription: stepSensors never mutates a state.
  return (windows) =>
    windows.pipe(
      scan((acc, w) => stepSensors(config, acc.states, w), seed),
      mergeMap((step) => step.events),
    );
}
