import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/**
 * Every process the demo starts, so that Ctrl-C, an error or the end of `--seconds` stops all of them and
 * no stray daemon, simulator or socat is left behind.
 */
export class Children {
  private readonly live = new Set<ChildProcess>();

  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, args, options);
    this.live.add(child);
    child.once('exit', () => this.live.delete(child));
    return child;
  }

  /** SIGTERM (graceful: the daemon flushes and closes its outbox), then SIGKILL after `graceMs`. */
  async stopAll(graceMs = 6000): Promise<void> {
    const waits = [...this.live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(waits);
  }

  /** Last resort on process exit: nothing may outlive the demo. */
  killAllNow(): void {
    for (const child of this.live) child.kill('SIGKILL');
  }
}

/** Resolves with the exit code when the child ends; rejects if it cannot be started. */
export function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
