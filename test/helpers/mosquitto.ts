// The vitest side of scripts/process/mosquitto.ts: `startMosquitto` for integration tests (brokers a test file
// leaves running are stopped by its afterAll, see stop-after-file.ts) and a `describe` that skips loudly where
// mosquitto is missing. `scripts/test.mjs` looks for these names to list the suites it skips.
import { missingReason } from '../../scripts/process/executables.js';
import './stop-after-file.js';
import { describeRequiring } from './system-tools.js';

export { type Mosquitto, type MosquittoOptions, startMosquitto } from '../../scripts/process/mosquitto.js';

/** True when a mosquitto binary is usable (and THRUM_SKIP_MOSQUITTO is not set). */
export function mosquittoAvailable(): boolean {
  return missingReason('mosquitto') === undefined;
}

/** `describe` that skips, saying why, when mosquitto is missing. */
export function describeWithMosquitto(name: string, fn: () => void): void {
  describeRequiring(['mosquitto'], name, fn);
}
