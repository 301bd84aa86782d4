import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { socatAvailable } from '../helpers/pty-pair.js';

// The README's first quick-start command, as CI runs it: `npm run demo -- --seconds 90` must show a raised
// and a cleared alert and exit 0, through a socat pty where socat exists and through a pipe where it does not.
const root = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function runDemo(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-demo-'));
  dirs.push(dir);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['scripts/demo-entry.mjs', '--seconds', '90', '--work-dir', dir], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.once('error', reject);
    child.once('exit', (code) => resolvePromise({ code, out, err }));
  });
}

function expectRaisedThenCleared(out: string): void {
  const lines = out.split('\n');
  const raised = lines.findIndex((l) => / RAISED +#1 /.test(l));
  const cleared = lines.findIndex((l) => / CLEARED +#2 /.test(l));
  expect(raised, out).toBeGreaterThanOrEqual(0);
  expect(cleared, out).toBeGreaterThan(raised);
  // The alert names the axis and feature group that drove the error.
  expect(lines[raised]).toMatch(/top: [xyz]\/(spectrum|stats) \d+%/);
}

describe('npm run demo -- --seconds 90', () => {
  it.skipIf(!socatAvailable())(
    'with socat: sensor -> pty -> daemon -> aedes -> raised and cleared alerts, exit 0',
    async () => {
      const { code, out, err } = await runDemo({});
      expect(err).toContain('virtual serial cable (socat)');
      expectRaisedThenCleared(out);
      expect(err).toMatch(/1 raised and 1 cleared alert\(s\)/);
      expect(code, err).toBe(0);
    },
    150_000,
  );

  it('without socat: the simulator feeds the daemon through a pipe, same alerts, exit 0', async () => {
    const { code, out, err } = await runDemo({ THRUM_SKIP_SOCAT: '1' });
    expect(err).toContain('socat is not installed: feeding the daemon from the simulator through a pipe');
    expectRaisedThenCleared(out);
    expect(code, err).toBe(0);
  }, 150_000);
});
