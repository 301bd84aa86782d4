import type { DetectorConfig } from './config.js';
import { type DetectorState, initialDetectorState, stepDetector } from './reducer.js';
import type { DetectorEvent, ScoredWindow } from './types.js';

/** Detector states of several sensors, keyed by sensor id; each sensor runs its own reducer. */
export type SensorStates = ReadonlyMap<number, DetectorState>;

export interface SensorsStep {
  states: SensorStates;
  events: DetectorEvent[];
}

/** Steps the reducer of the window's sensor; the other sensors' states are untouched. */
export function stepSensors(config: DetectorConfig, states: SensorStates, w: ScoredWindow): SensorsStep {
  const { state, events } = stepDetector(config, states.get(w.sensorId) ?? initialDetectorState, w);
  const next = new Map(states);
  next.set(w.sensorId, state);
  return { states: next, events };
}

/** Runs the detector over a finished sequence of windows (e.g. `thrum eval`); returns every event in order. */
export function detectAll(config: DetectorConfig, windows: Iterable<ScoredWindow>): DetectorEvent[] {
  const states = new Map<number, DetectorState>();
  const events: DetectorEvent[] = [];
  for (const w of windows) {
    const step = stepDetector(config, states.get(w.sensorId) ?? initialDetectorState, w);
    states.set(w.sensorId, step.state);
    events.push(...step.events);
  }
  return events;
}
