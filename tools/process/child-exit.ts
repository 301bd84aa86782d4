import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** The shell's number for how a child ended: its exit code, or 128 + the signal that killed it. */
export function exitStatus(child: ChildProcess): number {
  if (child.exitCode !== null) return child.exitCode;
  const signal = child.signalCode ? constants.signals[child.signalCode] : undefined;
  return signal === undefined ? 1 : 128 + signal;
}

/**
 * Resolves with `exitStatus` when the child has exited (at once if it already has); rejects when it could not
 * be started at all (e.g. ENOENT).
 */
export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(exitStatus(child));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(exitStatus(child)));
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; SIGCONT first so a paused (SIGSTOP) process can see the TERM. */
export async function terminate(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child).catch(() => {});
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
