// Two linked pseudo-terminals from socat, standing in for a serial cable: bytes written to `a` come out of
// `b` and back. Open either end with `new SerialPort({ path: pair.b, baudRate: 115200 })`.
//
//   const pair = await createPtyPair();
//   await pair.unplug();   // socat exits: open ports see EIO/close and the paths vanish, as with a USB unplug
//   await pair.replug();   // new ptys behind the same paths
//   await pair.close();    // gone for good, temp dir removed
//
// Wrap suites in `describeWithSocat(name, fn)` so they skip loudly where socat is missing.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, runToken, type Stoppable, terminate, track, untrack } from './child-registry.js';
import { pathExists, waitUntil } from './net-wait.js';
import { describeRequiring, findExecutable, missingReason } from './system-tools.js';

export interface PtyPair {
  /** Path of one end (a symlink to /dev/pts/N). */
  readonly a: string;
  /** Path of the other end. */
  readonly b: string;
  /** Pid of the current socat process (changes on replug); -1 while unplugged. */
  readonly pid: number;
  /** Stops socat and removes the links and the temp dir. Idempotent. */
  close(): Promise<void>;
  /** Stops socat and waits until both links are gone. */
  unplug(): Promise<void>;
  /** Starts socat again behind the same two paths and waits until both exist. */
  replug(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** True when socat is usable (and THRUM_SKIP_SOCAT is not set). */
export function socatAvailable(): boolean {
  return missingReason('socat') === undefined;
}

/** `describe` that skips, saying why, when socat is missing. */
export function describeWithSocat(name: string, fn: () => void): void {
  describeRequiring(['socat'], name, fn);
}

export async function createPtyPair(opts: { startTimeoutMs?: number } = {}): Promise<PtyPair> {
  const bin = findExecutable('socat');
  if (!bin || !socatAvailable()) throw new Error(`cannot start socat: ${missingReason('socat')}`);
  const dir = mkdtempSync(join(tmpdir(), `thrum-pty-${runToken()}-`));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  let child: ChildProcess | undefined;
  let closed = false;

  const plug = async () => {
    const proc = spawn(bin, ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let dead = false;
    void exited(proc).then(() => {
      dead = true;
    });
    try {
      await waitUntil(
        async () => {
          if (dead) throw new Error(`socat exited with code ${proc.exitCode}`);
          // socat logs this once both ptys are open and it relays bytes.
          return (
            stderr.includes('starting data transfer loop') && (await pathExists(a)) && (await pathExists(b))
          );
        },
        opts.startTimeoutMs ?? 10_000,
        `socat to create ${a} and ${b}`,
      );
    } catch (e) {
      await terminate(proc);
      throw new Error(`socat pty pair did not start: ${(e as Error).message}\n${stderr}`);
    }
  };

  const unplug = async () => {
    if (child) await terminate(child);
    child = undefined;
    // socat removes its links on SIGTERM; after a SIGKILL they would dangle, so remove them ourselves.
    rmSync(a, { force: true });
    rmSync(b, { force: true });
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    untrack(handle);
    await unplug();
    rmSync(dir, { recursive: true, force: true });
  };

  const handle: PtyPair & Stoppable = {
    a,
    b,
    get pid() {
      return child?.pid ?? -1;
    },
    close,
    stop: close,
    killSync() {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
    unplug,
    async replug() {
      if (closed) throw new Error('pty pair: replug() after close()');
      if (child) throw new Error('pty pair: replug() while plugged in; call unplug() first');
      await plug();
    },
    [Symbol.asyncDispose]: close,
  };
  track(handle);
  try {
    await plug();
  } catch (e) {
    await close();
    throw e;
  }
  return handle;
}
