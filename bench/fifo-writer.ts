import { closeSync, constants, openSync, writeSync } from 'node:fs';

/**
 * The writing end of a FIFO that never blocks the event loop: the reader (the daemon) lives in this same
 * process, so a blocking write into a full pipe would stop the very loop that drains it. Bytes the pipe cannot
 * take yet wait in a backlog and go first on the next write or flush.
 */
export class FifoWriter {
  private backlog: Uint8Array[] = [];
  private stalledSince: number | undefined;

  private constructor(private readonly fd: number) {}

  /** Opens once the reader has the FIFO open (O_NONBLOCK refuses with ENXIO until then). */
  static async open(path: string, timeoutMs: number): Promise<FifoWriter> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      try {
        return new FifoWriter(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || performance.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /** Writes what it can now; throws when the reader has taken nothing for `stallMs`. */
  write(bytes: Uint8Array, stallMs = 5000): void {
    this.backlog.push(bytes);
    this.flush(stallMs);
  }

  flush(stallMs = 5000): void {
    while (this.backlog.length > 0) {
      const head = this.backlog[0];
      let written = 0;
      try {
        written = writeSync(this.fd, head);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
      if (written === head.length) {
        this.backlog.shift();
        this.stalledSince = undefined;
        continue;
      }
      if (written > 0) {
        this.backlog[0] = head.subarray(written);
        this.stalledSince = undefined;
      }
      this.stalledSince ??= performance.now();
      if (performance.now() - this.stalledSince > stallMs) {
        throw new Error(`the daemon has read nothing from its input FIFO for ${stallMs} ms`);
      }
      return;
    }
  }

  get pendingBytes(): number {
    return this.backlog.reduce((n, b) => n + b.length, 0);
  }

  close(): void {
    closeSync(this.fd);
  }
}
