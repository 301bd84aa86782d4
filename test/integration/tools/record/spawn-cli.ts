// Runs `node bin/thrum.js <args>` as a child process for integration tests, collecting its output by line.
// The child is tracked by scripts/process, so it never outlives the test file.
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { exited, terminate } from '../../../../scripts/process/child-exit.js';
import { onLines } from '../../../../scripts/process/lines.js';
import { spawnTracked } from '../../../../scripts/process/spawn-tracked.js';
import '../../../helpers/stop-after-file.js';

export const REPO = resolve(import.meta.dirname, '../../../..');
export const THRUM = resolve(REPO, 'bin/thrum.js');

export interface CliRun {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves when a line on `stream` matches; rejects after `timeoutMs` with what was seen. */
  waitForLine(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name) once the child exits. */
  exit(): Promise<number | string>;
  /** SIGTERM (then SIGKILL), and the exit code. */
  stop(): Promise<number | string>;
}

export function spawnCli(args: string[], options: { stdin?: 'pipe' | 'ignore' } = {}): CliRun {
  const child = spawnTracked(process.execPath, [THRUM, ...args], {
    cwd: REPO,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (stream: NodeJS.ReadableStream, lines: string[]) =>
    onLines(stream, (line) => {
      lines.push(line);
      for (const w of waiters) w();
    });
  collect(child.stdout!, stdout);
  collect(child.stderr!, stderr);
  const exit = async () => {
    await exited(child);
    return child.exitCode ?? child.signalCode ?? -1;
  };
  return {
    child,
    stdout,
    stderr,
    waitForLine(stream, pattern, timeoutMs = 20_000) {
      const lines = stream === 'stdout' ? stdout : stderr;
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const hit = lines.find((l) => pattern.test(l));
          if (hit === undefined) return false;
          cleanup();
          resolvePromise(hit);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no ${stream} line matched ${pattern} within ${timeoutMs} ms\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`,
            ),
          );
        }, timeoutMs);
        const onExit = () => {
          if (!check()) {
            cleanup();
            reject(
              new Error(
                `thrum ${args[0]} exited before ${pattern} on ${stream}\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`,
              ),
            );
          }
        };
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        if (check()) return;
        waiters.add(check);
        child.once('exit', onExit);
      });
    },
    exit,
    async stop() {
      await terminate(child);
      return exit();
    },
  };
}
