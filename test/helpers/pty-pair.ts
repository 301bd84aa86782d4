// The vitest side of scripts/process/pty-pair.ts: `createPtyPair` for integration tests (pairs a test file
// leaves open are closed by its afterAll, see stop-after-file.ts) and a `describe` that skips loudly where
// socat is missing. `scripts/test.mjs` looks for these names to list the suites it skips.
import { missingReason } from '../../scripts/process/executables.js';
import './stop-after-file.js';
import { describeRequiring } from './system-tools.js';

export { createPtyPair, type PtyPair, type PtyPairOptions } from '../../scripts/process/pty-pair.js';

/** True when socat is usable (and THRUM_SKIP_SOCAT is not set). */
export function socatAvailable(): boolean {
  return missingReason('socat') === undefined;
}

/** `describe` that skips, saying why, when socat is missing. */
export function describeWithSocat(name: string, fn: () => void): void {
  describeRequiring(['socat'], name, fn);
}
