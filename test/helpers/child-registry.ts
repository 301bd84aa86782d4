// Every process a test helper starts is registered here, so none outlives the test file that started it:
// an `afterAll` of the importing test file stops them, and a process 'exit' hook SIGKILLs whatever is left
// (e.g. when a test times out). The vitest global teardown (test/helpers/global-setup.ts) is the last line:
// it kills, by pid, any process whose command line carries this run's token.
import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';

/** Something a helper started and knows how to stop (a process, a temp dir). */
export interface Stoppable {
  stop(): Promise<void>;
  /** Last-resort synchronous cleanup for the 'exit' hook: SIGKILL, remove temp files. */
  killSync(): void;
}

const live = new Set<Stoppable>();

export function track(s: Stoppable): void {
  live.add(s);
}

export function untrack(s: Stoppable): void {
  live.delete(s);
}

/** Stops everything still registered; called after each test file. */
export async function stopAll(): Promise<void> {
  const all = [...live];
  live.clear();
  await Promise.allSettled(all.map((s) => s.stop()));
}

process.on('exit', () => {
  for (const s of live) {
    try {
      s.killSync();
    } catch {
      // best effort: the process is exiting
    }
  }
});

// Registered on the file suite of whichever test file first imports a helper. Outside a vitest collection
// (e.g. imported from a script) there is no suite to attach to; the 'exit' hook still applies.
try {
  afterAll(stopAll);
} catch {
  // not inside a vitest test file
}

/** A token unique to this test run, put in temp dir names so the global teardown can find leaks. */
export function runToken(): string {
  return process.env.THRUM_TEST_RUN ?? `pid${process.pid}`;
}

/** Resolves when the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL after `graceMs`; SIGCONT first so a paused (SIGSTOP) process can see the TERM. */
export async function terminate(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  if ((await Promise.race([done, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await done;
  }
  clearTimeout(timer);
}
