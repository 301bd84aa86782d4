import { existsSync, renameSync } from 'node:fs';
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

/** Reads what it can from a quarantined file: seq counters first (so seq keeps rising), then entries. */
export function salvage(path: string): Salvage {
  const out: Salvage = { counters: [], entries: [] };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      out.counters = db.prepare('SELECT sensor_id, seq FROM counters').all() as Salvage['counters'];
    } catch {
      // counters unreadable: fall back to what the entries say below
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
