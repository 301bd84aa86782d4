// Storage write faults for tests, with the real kernel: `chattr +i` makes a file immutable, and on ext4 (not
// on tmpfs, which checks the flag only at open) a write through a descriptor opened before fails with EPERM,
// which SQLite reports as SQLITE_IOERR_WRITE. Needs root.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export function setImmutable(file: string, on: boolean): void {
  execFileSync('chattr', [on ? '+i' : '-i', file], { stdio: 'ignore' });
}

/** Clears the flag on everything under `dir`, so a failed test leaves nothing its cleanup cannot remove. */
export function clearImmutable(dir: string): void {
  try {
    execFileSync('chattr', ['-R', '-i', dir], { stdio: 'ignore' });
  } catch {
    // not root, or nothing there
  }
}

/**
 * Why `chattr +i` cannot fail writes to an open file in `dir` here (not root, no chattr, a filesystem that
 * lets them through), or undefined when it can.
 */
export function whyNoWriteFault(dir: string): string | undefined {
  if (process.getuid?.() !== 0) return 'chattr +i needs root';
  const probe = join(dir, `.immutable-probe-${process.pid}`);
  let fd: number | undefined;
  try {
    writeFileSync(probe, 'x');
    fd = openSync(probe, 'r+');
    setImmutable(probe, true);
    try {
      writeSync(fd, 'y', 0);
      return `the filesystem of ${dir} lets writes to an open immutable file through (tmpfs?)`;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM' ? undefined : `write failed with ${String(err)}`;
    }
  } catch (err) {
    return `chattr failed: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    if (fd !== undefined) closeSync(fd);
    clearImmutable(probe);
    rmSync(probe, { force: true });
  }
}
