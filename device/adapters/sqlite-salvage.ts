import { closeSync, copyFileSync, openSync, readSync, rmSync, statSync, truncateSync } from 'node:fs';
import Database from 'better-sqlite3';
import { type RowidRange, readAroundDamage } from './sqlite-range-reader.js';

/** An `entries` row read back from a damaged file, with its place (`ord`) in the outbox order. */
export interface SalvagedEntry {
  ord: number;
  id: string;
  kind: 'alert' | 'eviction';
  sensor_id: number;
  seq: number | null;
  created_at: number;
  bytes: number;
  body: string;
}

/** What could be read from a quarantined outbox file, best effort. */
export interface Salvage {
  counters: Map<number, number>;
  /** Readable entries, ascending `ord`. */
  entries: SalvagedEntry[];
  /** `ord` ranges of `entries` that could not be read: the rows there (if any) are lost. */
  unreadable: RowidRange[];
}

/**
 * Reads what it can from a quarantined file, row by row around damaged pages: seq counters, then entries.
 * A file cut short (power loss on a card, a partial copy) is refused whole by SQLite because its header
 * promises more pages than exist; a copy padded with zeros to that length still yields the pages that survived.
 */
export function salvage(path: string): Salvage {
  const direct = readFile(path);
  if (direct.counters.size > 0 || direct.entries.length > 0) return direct;
  const expected = promisedBytes(path);
  if (expected === undefined || expected <= statSync(path).size) return direct;
  const padded = `${path}.salvage`;
  try {
    copyFileSync(path, padded);
    truncateSync(padded, expected);
    return readFile(padded);
  } catch {
    return direct;
  } finally {
    rmSync(padded, { force: true });
  }
}

function readFile(path: string): Salvage {
  const out: Salvage = { counters: new Map(), entries: [], unreadable: [] };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    out.counters = readCounters(db);
    const bounds = ordBounds(db, out.counters);
    if (bounds) {
      const read = readAroundDamage<SalvagedEntry>({
        select: db.prepare(
          'SELECT ord, id, kind, sensor_id, seq, created_at, bytes, body FROM entries WHERE ord BETWEEN ? AND ? ORDER BY ord',
        ),
        rowidOf: (r) => r.ord,
        valid: plausibleEntry,
        ...bounds,
      });
      out.entries = read.rows;
      out.unreadable = read.unreadable;
    }
  } catch {
    // not openable, or no entries table: nothing more to save
  } finally {
    try {
      db?.close();
    } catch {
      // already broken
    }
  }
  return out;
}

/** The counters table is one page or two: whatever reads before an error is kept. */
function readCounters(db: Database.Database): Map<number, number> {
  const out = new Map<number, number>();
  try {
    const rows = db.prepare('SELECT sensor_id, seq FROM counters ORDER BY sensor_id').iterate() as Iterable<{
      sensor_id: unknown;
      seq: unknown;
    }>;
    for (const r of rows) {
      if (Number.isSafeInteger(r.sensor_id) && Number.isSafeInteger(r.seq) && (r.seq as number) > 0)
        out.set(r.sensor_id as number, r.seq as number);
    }
  } catch {
    // unreadable from here on: the entries' seqs and the watermark file still bound the counters
  }
  return out;
}

/**
 * The `ord` range to read. min/max walk the edges of the tree and fail when an edge page is damaged; ords
 * start at 1 and every row took at most one new ord per seq or eviction, so twice the counters bound them.
 */
function ordBounds(
  db: Database.Database,
  counters: Map<number, number>,
): { from: number; to: number } | undefined {
  const edge = (fn: 'min' | 'max') => {
    try {
      return (db.prepare(`SELECT ${fn}(ord) AS v FROM entries`).get() as { v: number | null }).v;
    } catch {
      return undefined;
    }
  };
  const lo = edge('min');
  const hi = edge('max');
  if (lo === null && hi === null) return undefined;
  const seqSum = [...counters.values()].reduce((a, b) => a + b, 0);
  return { from: lo ?? 1, to: hi ?? (seqSum > 0 ? 2 * seqSum + 64 : 1 << 16) };
}

function plausibleEntry(r: SalvagedEntry): boolean {
  if (typeof r.id !== 'string' || r.id.length === 0) return false;
  if (!Number.isSafeInteger(r.sensor_id) || typeof r.created_at !== 'number' || typeof r.bytes !== 'number')
    return false;
  if (typeof r.body !== 'string') return false;
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null) return false;
  if (r.kind === 'alert') return Number.isSafeInteger(r.seq) && (r.seq as number) > 0;
  if (r.kind !== 'eviction' || r.seq !== null) return false;
  const e = body as Record<string, unknown>;
  return [e.fromSeq, e.toSeq, e.count].every((v) => Number.isSafeInteger(v));
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
