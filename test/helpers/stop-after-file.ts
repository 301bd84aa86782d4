// Whatever scripts/process still tracks when a test file ends (a broker, a pty pair, a child a test forgot to
// stop) is stopped by an afterAll of that file: importing this registers it on the file suite of whichever
// test file first imports a helper. The 'exit' hook of scripts/process/cleanup.ts SIGKILLs what is left after
// that (e.g. when a test times out), and the vitest global teardown (global-setup.ts) is the last line.
import { afterAll } from 'vitest';
import { stopAll } from '../../scripts/process/cleanup.js';

try {
  afterAll(stopAll);
} catch {
  // not inside a vitest test file (e.g. imported from a script): the 'exit' hook still applies
}
