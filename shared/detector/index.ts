export { bundleDetector, type DetectorConfig, type DetectorOverrides, detectorConfig } from './config.js';
export { describeDetectorRule } from './describe.js';
export { pValueFloor, pValueOf } from './p-value.js';
export { type DetectorState, type DetectorStep, initialDetectorState, stepDetector } from './reducer.js';
export { detectAll, type SensorStates, type SensorsStep, stepSensors } from './sensors.js';
export type { Contribution, DetectorEvent, DetectorEventKind, ScoredWindow, WindowBound } from './types.js';
