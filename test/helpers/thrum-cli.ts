// The real `thrum` command as a user runs it (`node bin/thrum.js ...`), and the assertion every refusal of bad
// input must pass: exit 2, one line on stderr naming what is wrong, no stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { runToken } from '../../scripts/process/run-token.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const THRUM_BIN = join(ROOT, 'bin/thrum.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `thrum <args>` to completion (killed after `timeoutMs`). */
export function runThrum(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): CliResult {
  const r = spawnSync(process.execPath, [THRUM_BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, THRUM_TEST_RUN: runToken(), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same without blocking the test process (for several at once, or while a broker must keep answering). */
export function runThrumAsync(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [THRUM_BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, THRUM_TEST_RUN: runToken(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Lines of a stack trace (`    at fn (file:1:2)`). */
export const STACK_LINE = /^\s+at /m;

/** Exit 2, exactly one stderr line matching `pattern`, no stack trace anywhere in the output. */
export function expectRefusal(r: CliResult, pattern: RegExp): void {
  const shown = `exit ${r.code}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout.slice(0, 2000)}`;
  expect(r.code, shown).toBe(2);
  expect(r.stderr.trimEnd().split('\n'), shown).toHaveLength(1);
  expect(r.stderr, shown).toMatch(/^thrum: /);
  expect(r.stderr, shown).toMatch(pattern);
  expect(r.stderr + r.stdout, shown).not.toMatch(STACK_LINE);
}
