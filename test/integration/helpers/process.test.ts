import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { exited, terminate } from '../../../scripts/process/child-exit.js';
import { stopAll } from '../../../scripts/process/cleanup.js';
import { onLines } from '../../../scripts/process/lines.js';
import { spawnTracked } from '../../../scripts/process/spawn-tracked.js';

const node = (script: string) =>
  spawnTracked(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });

/** Resolves once the child printed its first line (its signal handlers are installed by then). */
const started = (child: ReturnType<typeof node>) =>
  new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));

it('exited() gives the exit code, or 128 + the signal number, also for a child already gone', async () => {
  const seven = node('process.exit(7)');
  expect(await exited(seven)).toBe(7);
  expect(await exited(seven)).toBe(7);
  const killed = node('console.log("up"); setInterval(() => {}, 1000)');
  await started(killed);
  killed.kill('SIGTERM');
  expect(await exited(killed)).toBe(143);
});

it('exited() rejects when the command cannot be started', async () => {
  const missing = spawnTracked('/nonexistent/thrum-no-such-binary', []);
  await expect(exited(missing)).rejects.toThrow(/ENOENT/);
});

it('terminate() SIGKILLs a child that ignores SIGTERM once the grace time is over', async () => {
  const stubborn = node('process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)');
  await started(stubborn);
  const t0 = Date.now();
  await terminate(stubborn, 300);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  expect(stubborn.signalCode).toBe('SIGKILL');
});

it('stopAll() stops every tracked child that is still running', async () => {
  const a = node('console.log("up"); setInterval(() => {}, 1000)');
  const b = node('console.log("up"); setInterval(() => {}, 1000)');
  await Promise.all([started(a), started(b)]);
  await stopAll();
  expect([a.signalCode, b.signalCode]).toEqual(['SIGTERM', 'SIGTERM']);
});

it('onLines() splits on \\n and \\r across chunks, skips empty lines and flushes the last one', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  onLines(stream, (l) => lines.push(l));
  stream.write('one\ntw');
  stream.write('o\r\n\nthree\rfour');
  stream.end();
  await new Promise((r) => stream.once('end', r));
  expect(lines).toEqual(['one', 'two', 'three', 'four']);
});
