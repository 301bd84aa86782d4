// Finds the system binaries integration tests need (mosquitto, socat, chromium) and skips suites loudly when
// one is missing. `scripts/test.mjs` sets THRUM_SKIP_MOSQUITTO=1 / THRUM_SKIP_SOCAT=1 / THRUM_SKIP_CHROMIUM=1
// when it could not install a tool, so every suite skips the same way and the run ends with a list of what was
// skipped.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';

export type SystemTool = 'mosquitto' | 'socat' | 'chromium';

const SKIP_ENV: Record<SystemTool, string> = {
  mosquitto: 'THRUM_SKIP_MOSQUITTO',
  socat: 'THRUM_SKIP_SOCAT',
  chromium: 'THRUM_SKIP_CHROMIUM',
};

/** Absolute path of an executable on PATH or in the sbin dirs (mosquitto lives in /usr/sbin). */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why `tool` cannot be used in this run, or undefined when it can. */
export function missingReason(tool: SystemTool): string | undefined {
  const env = SKIP_ENV[tool];
  if (process.env[env] === '1')
    return `${env}=1 (${tool} is not installed; install it: apt-get install ${tool})`;
  if (!findExecutable(tool))
    return `${tool} not found on PATH or in /usr/sbin (install it: apt-get install ${tool})`;
  return undefined;
}

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
