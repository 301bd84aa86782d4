// The soak's child processes: a persistent mosquitto that can be stopped and started on the same port, a socat
// pty pair, the simulator and the daemon, each tracked so nothing outlives the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function terminate(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  child.kill('SIGTERM');
  await exited(child);
  clearTimeout(timer);
}

export async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`soak: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

/** mosquitto with persistence, so the soak subscriber's persistent session survives broker restarts. */
export class Broker {
  private child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${join(dir, 'data')}/`,
        'log_dest none',
        '',
      ].join('\n'),
    );
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = track(spawn('mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], { stdio: 'ignore' }));
    const until = Date.now() + 10_000;
    while (!(await tcpOpen(this.port))) {
      if (this.child.exitCode !== null) throw new Error(`mosquitto exited with code ${this.child.exitCode}`);
      if (Date.now() > until) throw new Error('mosquitto did not start within 10 s');
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    if (this.child) await terminate(this.child, 3000);
    this.child = undefined;
  }
}

/** A socat pty pair: bytes written to `a` come out of `b`. */
export async function ptyPair(dir: string): Promise<{ a: string; b: string; child: ChildProcess }> {
  const a = join(dir, 'pty-a');
  const b = join(dir, 'pty-b');
  const child = track(
    spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' }),
  );
  await waitFor('socat to create the pty pair', () => existsSync(a) && existsSync(b), 10_000);
  return { a, b, child };
}

export interface LogLine {
  msg: string;
  /** The stable name of the line (docs/logging.md), where the daemon's module sets one. */
  event?: string;
  [key: string]: unknown;
}

/** Spawns a node child whose stdout is pino JSON lines, handing each parsed line to `onLine`. */
export function spawnJsonLogger(args: string[], onLine: (l: LogLine) => void, cwd: string): ChildProcess {
  const child = track(spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    for (const p of parts) {
      if (!p.trim()) continue;
      try {
        onLine(JSON.parse(p) as LogLine);
      } catch {
        onLine({ msg: p });
      }
    }
  });
  child.stderr!.resume();
  return child;
}
