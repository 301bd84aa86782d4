import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runToken } from '../../scripts/process/run-token.js';
import { readmeCommands, readRepoReadme } from './readme-commands.js';

// Issue #14: from a clone to an alert in at most five commands, one terminal, no guesses. The commands are the
// README's own (parsed out of its "Your own machine in five commands" block, so the two cannot drift), run
// literally with a shell, one after the other, in a fresh directory that has thrum installed the way a clone
// has it (`npx thrum` resolves to this repository, never to the registry).

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), `thrum-first-hour-${runToken()}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A project that depends on this checkout, as `npm install <clone>` would leave it (no network needed). */
function installThrumInto(project: string): void {
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'first-hour', private: true, dependencies: { thrum: `file:${ROOT}` } }),
  );
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(project, 'node_modules', 'thrum'));
  symlinkSync('../thrum/bin/thrum.js', join(project, 'node_modules', '.bin', 'thrum'));
}

interface Ran {
  command: string;
  code: number | null;
  out: string;
  err: string;
}

function sh(command: string): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-c', command], {
      cwd: dir,
      // offline: if npx ever wanted the registry, the command fails here instead of downloading.
      env: { ...process.env, npm_config_offline: 'true', NO_COLOR: '1' },
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
    child.once('error', fail);
    child.once('exit', (code) => done({ command, code, out, err }));
  });
}

describe('README: your own machine in five commands', () => {
  const commands = readmeCommands(readRepoReadme());

  it('is at most five commands, each a thrum command run with npx', () => {
    expect(commands.length).toBeGreaterThanOrEqual(4);
    expect(commands.length).toBeLessThanOrEqual(5);
    for (const c of commands) expect(c).toMatch(/^npx thrum (sim|record|train|run|watch|eval) /);
  });

  it('runs as written: an alert on the radial axes, eval F1 >= 0.9, no npm warning', async () => {
    installThrumInto(dir);
    const ran: Ran[] = [];
    for (const command of commands) {
      const r = await sh(command);
      ran.push(r);
      expect(r.code, `${command}\nstdout:\n${r.out.slice(-3000)}\nstderr:\n${r.err.slice(-3000)}`).toBe(0);
    }
    for (const r of ran) expect(`${r.out}\n${r.err}`, r.command).not.toMatch(/npm warn/i);

    // The daemon's alerts, printed in the same terminal: imbalance grows 1x on the radial axes x and y.
    const run = ran.find((r) => r.command.startsWith('npx thrum run '));
    expect(run, 'a thrum run command').toBeDefined();
    const raised = run!.out.split('\n').filter((l) => / RAISED +#\d+ /.test(l));
    expect(raised.length, run!.out).toBeGreaterThanOrEqual(1);
    expect(raised[0]).toMatch(/top: [xy]\/\w+ \d+%/);
    expect(raised[0]).toMatch(/ at \d+\.\d+ s in fault\.csv \(sample \d+\)/);
    const at = Number(/ at (\d+\.\d+) s in /.exec(raised[0]!)![1]);
    expect(at).toBeGreaterThan(55); // the fault starts at 60 s; the evidence window starts up to 1 window earlier
    expect(at).toBeLessThan(65);

    // thrum eval on the simulator's own labels: the detector's decisions, row by row.
    const evalRun = ran.find((r) => r.command.startsWith('npx thrum eval '));
    expect(evalRun, 'a thrum eval command').toBeDefined();
    const point = /^point\s+[\d.]+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+detector state/m.exec(evalRun!.out);
    expect(point, evalRun!.out).not.toBeNull();
    expect(Number(point![1])).toBeGreaterThanOrEqual(0.9);
  }, 420_000);
});
