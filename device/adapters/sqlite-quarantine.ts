import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import Database from 'better-sqlite3';

/** Row shapes read back from a quarantined file, best effort. */
export interface Salvage {
  counters: Array<{ sensor_id: number; seq: number }>;
  entries: Array<{
    id: string;
    kind: string;
    sensor_id: number;
    seq: number | null;
    created_at: number;
    bytes: number;
    body: string;
  }>;
}

/**
 * Moves a damaged database (and its -wal/-shm) aside as `<path>.corrupt-<timestamp>` so a fresh file can
 * take its place; the daemon keeps running instead of failing on every restart. Returns the new path.
 */
export function quarantineDb(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`;
  renameSync(path, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

/**
 * Reads what it can from a quarantined file: seq counters first (so seq keeps rising), then entries. A file
 * cut short (power loss on a card, a partial copy) is refused whole by SQLite because its header promises
 * more pages than exist; a copy padded with zeros to that length still yields the pages that survived.
 */
export function salvage(path: string): Salvage {
  const direct = readRows(path);
  if (direct.counters.length > 0 || direct.entries.length > 0) return direct;
  const expected = promisedBytes(path);
  if (expected === undefined || expected <= statSync(path).size) return direct;
  const padded = `${path}.salvage`;
  try {
    copyFileSync(path, padded);
    truncateSync(padded, expected);
    return readRows(padded);
  } catch {
    return direct;
  } finally {
    rmSync(padded, { force: true });
  }
}

/** Page size x page count from a SQLite header, or undefined when the file has no valid header. */
function promisedBytes(path: string): number | undefined {
  const header = Buffer.alloc(32);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, header, 0, 32, 0) < 32) return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return undefined;
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  return pageSize >= 512 && pages > 0 ? pageSize * pages : undefined;
}

function readRows(path: string): Salvage {
  const out: Salvage = { counters: [], entries: [] };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      out.counters = db.prepare('SELECT sensor_id, seq FROM counters').all() as Salvage['counters'];
    } catch {
      // counters unreadable: fall back to what the entries say
    }
    try {
      out.entries = db
        .prepare('SELECT id, kind, sensor_id, seq, created_at, bytes, body FROM entries ORDER BY ord')
        .all() as Salvage['entries'];
    } catch {
      // entries unreadable: nothing more to save
    }
  } catch {
    // not openable at all
  } finally {
    try {
      db?.close();
    } catch {
      // already broken
    }
  }
  return out;
}
