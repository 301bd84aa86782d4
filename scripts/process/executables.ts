// Finds the system binaries the plumbing starts (mosquitto, socat). `scripts/test.mjs` sets
// THRUM_SKIP_MOSQUITTO=1 / THRUM_SKIP_SOCAT=1 when it could not install a tool, and every user of a tool then
// treats it as missing the same way, so a run can exercise the "not installed" paths where the tool exists.
import { findExecutable } from '../../tools/process/find-executable.js';

export { findExecutable };

export type SystemTool = 'mosquitto' | 'socat' | 'chromium';

const SKIP_ENV: Record<SystemTool, string> = {
  mosquitto: 'THRUM_SKIP_MOSQUITTO',
  socat: 'THRUM_SKIP_SOCAT',
  chromium: 'THRUM_SKIP_CHROMIUM',
};

/** Why `tool` cannot be used in this run, or undefined when it can. */
export function missingReason(tool: SystemTool): string | undefined {
  const env = SKIP_ENV[tool];
  if (process.env[env] === '1')
    return `${env}=1 (${tool} is not installed; install it: apt-get install ${tool})`;
  if (!findExecutable(tool))
    return `${tool} not found on PATH or in /usr/sbin (install it: apt-get install ${tool})`;
  return undefined;
}

/** The tool's path, or an error saying why it cannot be started. */
export function requireTool(tool: SystemTool): string {
  const reason = missingReason(tool);
  const path = findExecutable(tool);
  if (reason || !path) throw new Error(`cannot start ${tool}: ${reason}`);
  return path;
}
