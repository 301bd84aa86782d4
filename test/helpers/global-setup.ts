// vitest globalSetup: gives the run a token that helpers put into their temp dir names, and at the end
// kills (by pid) any mosquitto/socat/chromium of this run that a crashed or timed-out worker left behind.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TempKind, tempPrefix } from '../../scripts/process/run-token.js';

const KINDS: TempKind[] = ['mosquitto', 'pty', 'chromium'];

export function setup(): void {
  process.env.THRUM_TEST_RUN ??= `run${process.pid}x${Date.now().toString(36)}`;
}

function leakedPids(marks: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (marks.some((m) => cmdline.includes(m))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export function teardown(): void {
  const token = process.env.THRUM_TEST_RUN;
  if (!token) return;
  const marks = KINDS.map((kind) => tempPrefix(kind, token));
  let pids: number[] = [];
  try {
    pids = leakedPids(marks);
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
    if (marks.some((m) => name.startsWith(m))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}
