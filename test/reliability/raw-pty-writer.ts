// Writes arbitrary bytes (garbage, truncated frames, an over-long line) into a pty end, for the serial
// fault tests. Non-blocking with retry on EAGAIN, like SampleWriter, so a daemon that stops reading cannot
// freeze the test; gives up after `timeoutMs`.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { sleep } from './common.js';

export async function writeRaw(path: string, bytes: Uint8Array, timeoutMs = 20_000): Promise<void> {
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  const deadline = Date.now() + timeoutMs;
  try {
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off, Math.min(4096, bytes.length - off));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        if (Date.now() > deadline)
          throw new Error(`pty ${path}: reader stalled, ${off}/${bytes.length} bytes written`);
        await sleep(2);
      }
    }
  } finally {
    closeSync(fd);
  }
}
