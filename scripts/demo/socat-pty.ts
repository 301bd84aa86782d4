import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Children } from './children.js';

/**
 * socat's path when it is installed (PATH, then the Debian location). THRUM_SKIP_SOCAT=1 makes it report
 * "not installed", as the test helpers do, so the pipe fallback can be exercised where socat exists.
 */
export function findSocat(): string | undefined {
  if (process.env.THRUM_SKIP_SOCAT === '1') return undefined;
  const which = spawnSync('sh', ['-c', 'command -v socat'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found) return found;
  return existsSync('/usr/bin/socat') ? '/usr/bin/socat' : undefined;
}

/**
 * A virtual serial cable: two linked ptys whose paths are `<dir>/sensor` (the simulator writes here, as a
 * sensor board would) and `<dir>/device` (the daemon reads here, as from /dev/ttyUSB0).
 */
export async function startPtyPair(
  socat: string,
  dir: string,
  children: Children,
): Promise<{ sensor: string; device: string }> {
  const sensor = join(dir, 'sensor');
  const device = join(dir, 'device');
  const child = children.spawn(socat, [`pty,raw,echo=0,link=${sensor}`, `pty,raw,echo=0,link=${device}`], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  while (!(existsSync(sensor) && existsSync(device))) {
    if (child.exitCode !== null)
      throw new Error(`socat exited with code ${child.exitCode} before creating the ptys`);
    if (Date.now() > deadline) throw new Error('socat did not create the pty pair within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { sensor, device };
}
