import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { onInterrupt } from './cleanup.js';

export interface Broker {
  url: string;
  stop(): Promise<void>;
}

/** mosquitto on PATH or in the sbin dirs (Debian puts it in /usr/sbin). */
export function findMosquitto(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, 'mosquitto'), constants.X_OK);
      return join(dir, 'mosquitto');
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A local mosquitto on a free loopback port, anonymous, no persistence, its own temp config and log: the way
 * test/helpers/mosquitto.ts starts one (kept separate: that helper belongs to the vitest harness).
 */
export async function startMosquitto(): Promise<Broker> {
  const bin = findMosquitto();
  if (!bin)
    throw new Error('mosquitto not found on PATH or in /usr/sbin (install it: apt-get install mosquitto)');
  const dir = mkdtempSync(join(tmpdir(), 'thrum-bench-mosquitto-'));
  const log = join(dir, 'mosquitto.log');
  const port = await freePort();
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      `log_dest file ${log}`,
      'log_type error',
      'log_type warning',
      // As root mosquitto drops to user `mosquitto`, which cannot write our temp log file.
      ...(userInfo().uid === 0 ? ['user root'] : []),
      '',
    ].join('\n'),
  );
  const child = spawn(bin, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const forget = onInterrupt(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const stop = async () => {
    forget();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 10_000);
  } catch (error) {
    const text = readLog(log);
    await stop();
    throw new Error(`mosquitto did not start: ${(error as Error).message}${text ? `\n${text}` : ''}`);
  }
  return { url: `mqtt://127.0.0.1:${port}`, stop };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} not open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
