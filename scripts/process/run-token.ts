import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the plumbing names its temp dirs after; a broker's or socat's command line carries the dir. */
export type TempKind = 'mosquitto' | 'pty' | 'chromium';

/**
 * A token unique to this test run (THRUM_TEST_RUN, set by the vitest global setup) or this process, put in
 * temp dir names so the global teardown can find leaked processes and dirs.
 */
export function runToken(): string {
  return process.env.THRUM_TEST_RUN ?? `pid${process.pid}`;
}

/** `thrum-<kind>-<token>-`: the start of every temp dir of that kind in that run. */
export function tempPrefix(kind: TempKind, token = runToken()): string {
  return `thrum-${kind}-${token}-`;
}

export function makeTempDir(kind: TempKind): string {
  return mkdtempSync(join(tmpdir(), tempPrefix(kind)));
}
