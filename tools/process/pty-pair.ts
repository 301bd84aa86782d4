// Two linked pseudo-terminals from socat, standing in for a serial cable: bytes written to `a` come out of `b`
// and back. The one implementation: `thrum sim --pty` uses it, and scripts/process/pty-pair.ts wraps it for
// the tests, the demo and the soak (temp dirs, cleanup tracking).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { exited, terminate } from './child-exit.js';
import { waitUntil } from './wait-until.js';

export interface PtyLinks {
  /** Path of one end (socat makes it a symlink to /dev/pts/N). */
  a: string;
  /** Path of the other end. */
  b: string;
}

export interface PtyPairCore extends PtyLinks {
  /** Pid of the current socat process (changes on replug); -1 while unplugged. */
  readonly pid: number;
  /** Stops socat and waits until both links are gone. */
  unplug(): Promise<void>;
  /** Starts socat again behind the same two paths and waits until both exist. */
  replug(): Promise<void>;
  /** Last resort for an exit hook: SIGKILL socat and remove the links, synchronously. */
  killSync(): void;
}

export interface OpenPtyPairOptions {
  /** Absolute path of the socat executable. */
  socat: string;
  links: PtyLinks;
  /** How long to wait for socat to open both ptys (default 10 s). */
  startTimeoutMs?: number;
}

/** Starts socat with the two links and waits until it relays; rejects (socat stopped) if it does not. */
export async function openPtyPair(opts: OpenPtyPairOptions): Promise<PtyPairCore> {
  const { a, b } = opts.links;
  let child: ChildProcess | undefined;
  // socat removes its links on SIGTERM; after a SIGKILL they would dangle, so remove them ourselves.
  const removeLinks = () => {
    rmSync(a, { force: true });
    rmSync(b, { force: true });
  };

  const plug = async () => {
    const proc = spawn(opts.socat, ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
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
      child = undefined;
      removeLinks();
      throw new Error(`socat pty pair did not start: ${(e as Error).message}\n${stderr}`);
    }
  };

  const unplug = async () => {
    if (child) await terminate(child);
    child = undefined;
    removeLinks();
  };

  await plug();
  return {
    a,
    b,
    get pid() {
      return child?.pid ?? -1;
    },
    unplug,
    async replug() {
      if (child) throw new Error('pty pair: replug() while plugged in; call unplug() first');
      await plug();
    },
    killSync() {
      child?.kill('SIGKILL');
      child = undefined;
      removeLinks();
    },
  };
}
