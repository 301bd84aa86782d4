// Two linked pseudo-terminals from socat, standing in for a serial cable: bytes written to `a` come out of
// `b` and back. Open either end with `new SerialPort({ path: pair.b, baudRate: 115200 })`.
//
//   const pair = await createPtyPair();
//   await pair.unplug();   // socat exits: open ports see EIO/close and the paths vanish, as with a USB unplug
//   await pair.replug();   // new ptys behind the same paths
//   await pair.close();    // gone for good, temp dir removed
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exited, terminate } from './child-exit.js';
import { type Stoppable, track, untrack } from './cleanup.js';
import { requireTool } from './executables.js';
import { makeTempDir } from './run-token.js';
import { waitUntil } from './wait-until.js';

export interface PtyPairOptions {
  /** Paths of the two links, e.g. where a config expects them. Default: `a` and `b` in a temp dir. */
  links?: { a: string; b: string };
  /** How long to wait for socat to open both ptys (default 10 s). */
  startTimeoutMs?: number;
}

export interface PtyPair extends Stoppable {
  /** Path of one end (a symlink to /dev/pts/N). */
  readonly a: string;
  /** Path of the other end. */
  readonly b: string;
  /** Pid of the current socat process (changes on replug); -1 while unplugged. */
  readonly pid: number;
  /** Stops socat and removes the links (and the temp dir, if it made one). Idempotent. */
  close(): Promise<void>;
  /** Stops socat and waits until both links are gone. */
  unplug(): Promise<void>;
  /** Starts socat again behind the same two paths and waits until both exist. */
  replug(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function createPtyPair(opts: PtyPairOptions = {}): Promise<PtyPair> {
  const bin = requireTool('socat');
  const dir = opts.links ? undefined : makeTempDir('pty');
  const { a, b } = opts.links ?? { a: join(dir!, 'a'), b: join(dir!, 'b') };
  let child: ChildProcess | undefined;
  let closed = false;
  // socat removes its links on SIGTERM; after a SIGKILL they would dangle, so remove them ourselves.
  const removeLinks = () => {
    rmSync(a, { force: true });
    rmSync(b, { force: true });
  };
  const removeDir = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };

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
    void exited(proc)
      .catch(() => {})
      .then(() => {
        dead = true;
      });
    try {
      await waitUntil(
        () => {
          if (dead) throw new Error(`socat exited with code ${proc.exitCode}`);
          // socat logs this once both ptys are open and it relays bytes.
          return stderr.includes('starting data transfer loop') && existsSync(a) && existsSync(b);
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
    removeLinks();
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    untrack(handle);
    await unplug();
    removeDir();
  };

  const handle: PtyPair = {
    a,
    b,
    get pid() {
      return child?.pid ?? -1;
    },
    close,
    stop: close,
    killSync() {
      child?.kill('SIGKILL');
      removeLinks();
      removeDir();
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
