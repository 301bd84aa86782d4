// vitest globalSetup: gives the run a token that helpers put into their temp dir names, and at the end
// kills (by pid) any mosquitto/socat/chromium of this run that a crashed or timed-out worker left behind.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function setup(): void {
  process.env.THRUM_TEST_RUN ??= `run${process.pid}x${Date.now().toString(36)}`;
}

/** Temp dir prefixes of the helpers' processes (their command lines name the dir). */
const PREFIXES = ['thrum-mosquitto-', 'thrum-pty-', 'thrum-chromium-'];

function leakedPids(token: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (PREFIXES.some((p) => cmdline.includes(`${p}${token}-`))) {
        pids.push(Number(entry));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export function teardown(): void {
  const token = process.env.THRUM_TEST_RUN;
  if (!token) return;
  let pids: number[] = [];
  try {
    pids = leakedPids(token);
  } catch {
    return; // no /proc (not Linux): nothing we can check
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (pids.length > 0) {
    console.warn(
      `\n!!! test helpers leaked ${pids.length} process(es) (pids ${pids.join(', ')}); killed them\n`,
    );
  }
  for (const name of readdirSync(tmpdir())) {
    if (PREFIXES.some((p) => name.startsWith(`${p}${token}-`))) {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}
