import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Log } from '../../shared/log.js';
import { type FileIdentity, identityOf, sameFile } from './file-identity.js';

/** Bytes per slot; the file is two slots, written alternately. */
const SLOT = 4096;

/**
 * The highest seq handed out per sensor, in a small file beside the outbox (`<outbox>.seq`). The database
 * holds the real counters; this file is what a restart finds when the database could not take a seq: an
 * alert held in RAM after a write error (maybe already published and acknowledged, so its seq is used), or a
 * database file deleted under the daemon. Without it the next run would hand those seqs out again.
 *
 * Two fixed-size slots, each `<sha256> <json>` with a generation number, written in turn: a torn write spoils
 * at most the slot being written and the reader takes the best valid one. Both slots are written in full when
 * the file is created, so later writes overwrite allocated blocks and still work on a full disk.
 */
export class SeqWatermark {
  private fd: number | undefined;
  private identity: FileIdentity | undefined;
  private gen = 0;
  private lastPayload = '';
  private failing = false;

  constructor(
    private readonly path: string,
    private readonly log: Log,
  ) {
    this.fd = this.openFile();
  }

  /** Highest seq per sensor over the valid slots; empty when the file is new or unreadable. */
  read(): Map<number, number> {
    const out = new Map<number, number>();
    if (this.fd === undefined) return out;
    for (const slot of [0, 1]) {
      const parsed = this.readSlot(slot);
      if (!parsed) continue;
      this.gen = Math.max(this.gen, parsed.gen);
      for (const [sensorId, seq] of parsed.seqs) out.set(sensorId, Math.max(out.get(sensorId) ?? 0, seq));
    }
    return out;
  }

  /**
   * Records `seqs` (skipped when unchanged). `durable`: fsync before returning, for a seq that lives nowhere
   * else yet. Never throws: a failure is logged once per episode and the outbox carries on without it.
   */
  write(seqs: ReadonlyMap<number, number>, durable: boolean): void {
    const body = JSON.stringify([...seqs].sort((a, b) => a[0] - b[0]));
    if (body === this.lastPayload && !durable) return;
    if (this.fd === undefined) this.fd = this.openFile();
    if (this.fd === undefined) return;
    try {
      const gen = this.gen + 1;
      const json = JSON.stringify({ gen, seqs: JSON.parse(body) });
      const line = `${digest(json)} ${json}\n`;
      if (Buffer.byteLength(line) > SLOT) throw new Error(`seq watermark needs more than ${SLOT} bytes`);
      writeSync(this.fd, Buffer.from(line.padEnd(SLOT, ' ')), 0, SLOT, (gen % 2) * SLOT);
      if (durable) fdatasyncSync(this.fd);
      this.gen = gen;
      this.lastPayload = body;
      if (this.failing)
        this.log.info(
          { event: 'outbox.watermark-ok', path: this.path },
          'outbox: seq watermark written again',
        );
      this.failing = false;
    } catch (err) {
      this.failed(err, 'write');
    }
  }

  /** After the file at the path was deleted or replaced: starts a new one holding `seqs`. */
  check(seqs: ReadonlyMap<number, number>): void {
    if (this.fd === undefined) {
      this.write(seqs, true);
      return;
    }
    let now: FileIdentity | undefined;
    try {
      now = identityOf(this.path);
    } catch {
      return;
    }
    if (now && this.identity && sameFile(now, this.identity)) return;
    this.close();
    this.fd = this.openFile();
    if (this.fd === undefined) return;
    this.lastPayload = '';
    this.write(seqs, true);
    this.log.warn(
      { event: 'outbox.watermark-recreated', path: this.path },
      'outbox: the seq watermark file was deleted or replaced; wrote it again',
    );
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // nothing left to save
    }
    this.fd = undefined;
  }

  private openFile(): number | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(this.path, constants.O_RDWR | constants.O_CREAT, 0o644);
      if (fstatSync(fd).size < 2 * SLOT) {
        // New (or cut short): allocate both slots now, while there is room.
        writeSync(fd, Buffer.alloc(2 * SLOT, ' '), 0, 2 * SLOT, 0);
        fsyncSync(fd);
        syncDir(dirname(this.path));
      }
      const s = fstatSync(fd);
      this.identity = { dev: s.dev, ino: s.ino };
      return fd;
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      this.failed(err, 'open');
      return undefined;
    }
  }

  private readSlot(slot: number): { gen: number; seqs: Array<[number, number]> } | undefined {
    const buf = Buffer.alloc(SLOT);
    try {
      readSync(this.fd!, buf, 0, SLOT, slot * SLOT);
      const text = buf.toString('utf8');
      const space = text.indexOf(' ');
      const end = text.indexOf('\n');
      if (space !== 64 || end < space) return undefined;
      const json = text.slice(space + 1, end);
      if (digest(json) !== text.slice(0, 64)) return undefined;
      const parsed = JSON.parse(json) as { gen: unknown; seqs: unknown };
      if (!Number.isSafeInteger(parsed.gen) || !Array.isArray(parsed.seqs)) return undefined;
      const seqs = parsed.seqs.filter(
        (p): p is [number, number] =>
          Array.isArray(p) && Number.isSafeInteger(p[0]) && Number.isSafeInteger(p[1]),
      );
      return { gen: parsed.gen as number, seqs };
    } catch {
      return undefined;
    }
  }

  private failed(err: unknown, op: string): void {
    if (this.failing) return;
    this.failing = true;
    this.log.error(
      { event: 'outbox.watermark-failed', op, path: this.path, err: (err as Error).message },
      'outbox: cannot write the seq watermark file; a restart during a storage fault may reuse seqs',
    );
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Makes a new directory entry durable (Linux: fsync on the directory). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here; the file itself is synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
