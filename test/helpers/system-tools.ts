// `describe` for suites that need a system tool (mosquitto, socat): they skip loudly where it is missing or
// `scripts/test.mjs` set THRUM_SKIP_MOSQUITTO=1 / THRUM_SKIP_SOCAT=1, so the run ends with a list of what was
// skipped. Finding the tools is scripts/process/executables.ts.
import { describe } from 'vitest';
import { missingReason, type SystemTool } from '../../scripts/process/executables.js';

/** `describe` that runs only when every tool is usable; otherwise skips and says why, on the console too. */
export function describeRequiring(tools: SystemTool[], name: string, fn: () => void): void {
  const reasons = tools.map(missingReason).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) {
    describe(name, fn);
    return;
  }
  const why = reasons.join('; ');
  console.warn(`\n!!! SKIPPED "${name}": ${why}\n`);
  describe.skip(`${name} [SKIPPED: ${why}]`, fn);
}
