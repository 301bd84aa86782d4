import {
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { waitUntil } from '../../../../scripts/process/wait-until.js';
import { describeWithSocat } from '../../../helpers/pty-pair.js';
import { spawnCli } from '../record/spawn-cli.js';

// `thrum sim --pty`: the simulator makes its own virtual serial cable, says where the daemon's end is in one
// line, streams into it, and removes it at the end. A reader that comes and goes does not cut the cable.

const dir = mkdtempSync(join(tmpdir(), 'thrum-sim-pty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads what is waiting on the pty within `ms` (non-blocking), then closes it. */
async function readFor(path: string, ms: number): Promise<string> {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  const buf = Buffer.alloc(65_536);
  let text = '';
  const end = Date.now() + ms;
  try {
    while (Date.now() < end) {
      try {
        const n = readSync(fd, buf);
        text += buf.subarray(0, n).toString();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    closeSync(fd);
  }
  return text;
}

describeWithSocat('thrum sim --pty', () => {
  it('prints the device path, streams csv into it across readers, removes it on exit', async () => {
    const device = join(dir, 'device');
    // Left behind by a simulator that was killed: replaced, not refused.
    symlinkSync('/dev/pts/99999', device);
    const sim = spawnCli(['sim', '--pty', device, '--seconds', '6', '--seed', '3', '--quiet']);
    const line = await sim.waitForLine('stderr', /virtual serial port ready/);
    expect(line).toBe(
      `thrum sim: virtual serial port ready: set serial.path: ${device} (source: serial) in thrum.yaml; removed when thrum sim exits`,
    );
    const first = await readFor(device, 700);
    const second = await readFor(device, 700);
    for (const text of [first, second]) {
      const rows = text.split('\n').filter((l) => /^-?[\d.e-]+,-?[\d.e-]+,-?[\d.e-]+$/.test(l));
      expect(rows.length).toBeGreaterThan(100);
    }
    expect(first).not.toContain('# thrum record'); // a serial stream is data from the first byte

    const busy = spawnCli(['sim', '--pty', device, '--seconds', '1']);
    expect(await busy.exit()).toBe(2);
    expect(busy.stderr.join('\n')).toMatch(
      /^thrum: --pty .*device: is in use \(another thrum sim --pty is running\?\)/m,
    );

    expect(await sim.exit()).toBe(0);
    await waitUntil(() => !existsSync(device), 2000, 'the device link to go');
  }, 60_000);
});
