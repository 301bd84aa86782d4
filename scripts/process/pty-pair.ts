// Two linked pseudo-terminals from socat, standing in for a serial cable: bytes written to `a` come out of
// `b` and back. Open either end with `new SerialPort({ path: pair.b, baudRate: 115200 })`.
//
//   const pair = await createPtyPair();
//   await pair.unplug();   // socat exits: open ports see EIO/close and the paths vanish, as with a USB unplug
//   await pair.replug();   // new ptys behind the same paths
//   await pair.close();    // gone for good, temp dir removed
//
// The socat part lives in tools/process/pty-pair.ts (thrum sim --pty uses it too); this adds the plumbing's
// temp dir naming (run token), cleanup tracking and the THRUM_SKIP_SOCAT switch.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openPtyPair, type PtyPairCore } from '../../tools/process/pty-pair.js';
import { type Stoppable, track, untrack } from './cleanup.js';
import { requireTool } from './executables.js';
import { makeTempDir } from './run-token.js';

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
  const socat = requireTool('socat');
  const dir = opts.links ? undefined : makeTempDir('pty');
  const links = opts.links ?? { a: join(dir!, 'a'), b: join(dir!, 'b') };
  const removeDir = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  let core: PtyPairCore;
  try {
    core = await openPtyPair({ socat, links, startTimeoutMs: opts.startTimeoutMs });
  } catch (e) {
    removeDir();
    throw e;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    untrack(handle);
    await core.unplug();
    removeDir();
  };
  const handle: PtyPair = {
    a: links.a,
    b: links.b,
    get pid() {
      return core.pid;
    },
    close,
    stop: close,
    killSync() {
      core.killSync();
      removeDir();
    },
    unplug: () => core.unplug(),
    async replug() {
      if (closed) throw new Error('pty pair: replug() after close()');
      await core.replug();
    },
    [Symbol.asyncDispose]: close,
  };
  track(handle);
  return handle;
}
