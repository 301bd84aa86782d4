import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Opens for reading without blocking: opening a FIFO someone named as a config file must not hang. */
export function openForReading(path: string): number {
  return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
}

/** The file's text when it is a regular file of at most `max` bytes (never a FIFO or /dev/zero). */
export function readBounded(path: string, max: number): string | undefined {
  const fd = openForReading(path);
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > max) return undefined;
    const buf = Buffer.alloc(info.size);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, n);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
