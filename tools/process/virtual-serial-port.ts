import { closeSync, constants, lstatSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { findExecutable } from './find-executable.js';
import { openPtyPair, type PtyPairCore } from './pty-pair.js';

/** Where `thrum sim --pty` puts the daemon's end when no path is given: one fixed path to write in thrum.yaml. */
export const DEFAULT_PTY_PATH = '/tmp/thrum-sim-pty';

export interface VirtualSerialPort {
  /** The end the daemon opens (`serial.path`). */
  readonly devicePath: string;
  /** The end the simulator writes. */
  readonly sensorPath: string;
  /** Stops socat, removes both links and the temp dir. Idempotent. */
  close(): Promise<void>;
  /** The same, synchronously (an exit hook). */
  closeSync(): void;
}

/** The socat executable, or a usage error that says how to install it. */
export function requireSocat(find: (name: string) => string | undefined = findExecutable): string {
  const socat = find('socat');
  if (socat === undefined) {
    throw new ThrumError(
      'BAD_USAGE',
      '--pty needs socat (it makes the virtual serial cable), which is not installed: apt-get install socat',
    );
  }
  return socat;
}

/**
 * A virtual serial cable for `thrum sim --pty`: socat links `devicePath` (for the daemon) to a sensor end in a
 * temp dir (for the simulator). A link left behind by a simulator that was killed is replaced; a path that is
 * in use (a live pty: another `thrum sim --pty`) or is not a link is refused, naming the flag.
 */
export async function openVirtualSerialPort(devicePath: string): Promise<VirtualSerialPort> {
  const socat = requireSocat();
  claimPath(devicePath);
  const dir = mkdtempSync(join(tmpdir(), 'thrum-sim-'));
  let pair: PtyPairCore;
  try {
    pair = await openPtyPair({ socat, links: { a: join(dir, 'sensor'), b: devicePath } });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new ThrumError('BAD_USAGE', `--pty ${devicePath}: ${(err as Error).message.split('\n')[0]}`);
  }
  // socat ends the cable as soon as every holder of the daemon's end has closed it (the pty reads EIO), so a
  // daemon restart, or `cat` on the path, would cut the simulator off. Holding the end open (never reading it)
  // keeps the cable up while the daemon comes and goes.
  const holder = openSync(devicePath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  let closed = false;
  const release = () => {
    closed = true;
    closeSync(holder);
  };
  return {
    devicePath,
    sensorPath: pair.a,
    async close() {
      if (closed) return;
      release();
      await pair.unplug();
      rmSync(dir, { recursive: true, force: true });
    },
    closeSync() {
      if (closed) return;
      release();
      pair.killSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function claimPath(path: string): void {
  let link: ReturnType<typeof lstatSync>;
  try {
    link = lstatSync(path);
  } catch {
    return; // free
  }
  const busy = (why: string) =>
    new ThrumError('BAD_USAGE', `--pty ${path}: ${why}; pass another path (--pty PATH) or remove it`);
  if (!link.isSymbolicLink()) throw busy('exists and is not a link a virtual serial port left behind');
  try {
    statSync(path);
  } catch {
    rmSync(path, { force: true }); // dangling: its socat is gone
    return;
  }
  throw busy('is in use (another thrum sim --pty is running?)');
}
