// Finds the system binaries integration tests need (mosquitto, socat) and skips suites loudly when one is
// missing. `scripts/test.mjs` sets THRUM_SKIP_MOSQUITTO=1 / THRUM_SKIP_SOCAT=1 when it could not install a
// tool, so every suite skips the same way and the run ends with a list of what was skipped.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';

export type SystemTool = 'mosquitto' | 'socat' | 'chromium' | 'qemu' | 'sshd';

const SKIP_ENV: Record<SystemTool, string> = {
  mosquitto: 'THRUM_SKIP_MOSQUITTO',
  socat: 'THRUM_SKIP_SOCAT',
  chromium: 'THRUM_SKIP_CHROMIUM',
  qemu: 'THRUM_SKIP_QEMU',
  sshd: 'THRUM_SKIP_SSHD',
};

/**
 * Tools that are more than one executable. qemu: running arm64 and armv7 device packages on this x64 machine
 * (qemu-user, the arm C libraries, the cross compilers that build better-sqlite3, unshare for the Pi-like
 * /proc/cpuinfo); .ci/run installs them. sshd: a real OpenSSH server and client for `thrum deploy`.
 */
const BUNDLES: Partial<Record<SystemTool, { executables: string[]; files?: string[]; install: string }>> = {
  qemu: {
    executables: [
      'qemu-aarch64-static',
      'qemu-arm-static',
      'aarch64-linux-gnu-g++',
      'arm-linux-gnueabihf-g++',
      'unshare',
      'make',
    ],
    files: ['/lib/ld-linux-aarch64.so.1', '/lib/ld-linux-armhf.so.3'],
    install:
      'dpkg --add-architecture arm64 && dpkg --add-architecture armhf && apt-get update && apt-get install qemu-user-static ' +
      'g++-aarch64-linux-gnu g++-arm-linux-gnueabihf libc6:arm64 libstdc++6:arm64 libc6:armhf libstdc++6:armhf libatomic1:armhf',
  },
  sshd: {
    executables: ['sshd', 'ssh', 'scp', 'ssh-keygen'],
    install: 'apt-get install openssh-server openssh-client',
  },
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
  const bundle = BUNDLES[tool];
  if (process.env[env] === '1')
    return `${env}=1 (${tool} is not installed; install it: ${bundle?.install ?? `apt-get install ${tool}`})`;
  if (bundle) {
    const missing = [
      ...bundle.executables.filter((e) => !findExecutable(e)),
      ...(bundle.files ?? []).filter((f) => !existsSync(f)),
    ];
    if (missing.length) return `${missing.join(', ')} missing (install: ${bundle.install})`;
    // The Pi-like /proc/cpuinfo is bind-mounted in a private mount namespace: that takes root.
    if (tool === 'qemu' && process.getuid?.() !== 0) return 'not root (unshare -m and mount --bind need it)';
    return undefined;
  }
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
