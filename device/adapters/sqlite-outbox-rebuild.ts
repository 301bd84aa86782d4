import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { PendingEviction } from '../outbox/outbox.js';
import { lostSeqs } from '../outbox/salvage-plan.js';
import { parses, type Statements } from './sqlite-outbox-statements.js';
import { moveAside } from './sqlite-quarantine.js';
import type { Salvage } from './sqlite-salvage.js';

// Writing a new outbox file from an old one: from what a damaged file still yields (salvage), or from the
// open handle of a file that was deleted or replaced under it (recreate).

/**
 * Fills a fresh database with the readable rows of a damaged one, in their order, and an eviction record for
 * every seq lost with the unreadable pages, placed where the hole was. Raises the seq counters to the highest
 * of `known` (what the process itself handed out), the salvaged counters, the rows and the lost ranges.
 * Returns the eviction records written and the counters.
 */
export function restoreSalvage(
  db: Database.Database,
  sql: Statements,
  saved: Salvage,
  known: ReadonlyMap<number, number>,
  newId: () => string,
  now: number,
): { announced: PendingEviction[]; rows: number; counters: Map<number, number> } {
  const lost = lostSeqs(
    saved.entries.map((e) => ({ ord: e.ord, kind: e.kind, sensorId: e.sensor_id, seq: e.seq })),
    saved.unreadable,
    saved.counters,
  );
  const high = new Map(known);
  const raise = (sensorId: number, seq: number) => high.set(sensorId, Math.max(high.get(sensorId) ?? 0, seq));
  for (const [sensorId, seq] of saved.counters) raise(sensorId, seq);
  for (const e of saved.entries) if (e.seq !== null) raise(e.sensor_id, e.seq);
  for (const l of lost) raise(l.sensorId, l.toSeq);

  const announced: PendingEviction[] = lost.map((l) => ({
    kind: 'eviction',
    id: newId(),
    sensorId: l.sensorId,
    createdAt: now,
    body: { fromSeq: l.fromSeq, toSeq: l.toSeq, count: l.toSeq - l.fromSeq + 1, reason: 'ram', at: now },
  }));
  // One order for rows and announcements: by ord, an announcement ahead of the row after its hole.
  type Item = { key: number; write: () => void };
  const items: Item[] = [];
  const ids = new Set<string>();
  const alertSeqs = new Set<string>();
  let rows = 0;
  for (const e of saved.entries) {
    const seqKey = `${e.sensor_id}:${e.seq}`;
    if (ids.has(e.id) || !parses(e.body) || (e.kind === 'alert' && alertSeqs.has(seqKey))) continue;
    ids.add(e.id);
    if (e.kind === 'alert') alertSeqs.add(seqKey);
    rows += 1;
    items.push({
      key: e.ord,
      write: () => sql.insert.run(e.id, e.kind, e.sensor_id, e.seq, e.created_at, e.bytes, e.body),
    });
  }
  announced.forEach((r, i) => {
    items.push({
      key: lost[i]!.slot - 0.5,
      write: () => sql.insert.run(r.id, 'eviction', r.sensorId, null, r.createdAt, 0, JSON.stringify(r.body)),
    });
  });
  items.sort((a, b) => a.key - b.key);
  db.transaction(() => {
    for (const [sensorId, seq] of high) sql.raiseSeq.run(sensorId, seq);
    for (const item of items) item.write();
  })();
  return { announced, rows, counters: high };
}

/** Where a new file is built before it takes the outbox's path. */
export const rebuildPath = (path: string) => `${path}.recreate`;

/**
 * The file at `path` is no longer the one `db` has open (deleted, or another file renamed over it). Copies
 * everything `db` can read (counters, rows with their ords) into a new file, then puts it at `path`: a
 * replacement is moved aside as `<path>.replaced-<time>`, never merged (its seqs would clash). `db` is closed
 * only once the copy is complete and synced, so a failure before that leaves the outbox as it was.
 */
export function recreateFrom(
  db: Database.Database,
  path: string,
  replaced: boolean,
  now: Date,
): { rows: number; movedTo?: string } {
  const temp = rebuildPath(path);
  rmSync(temp, { force: true });
  const rows = (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  db.prepare('VACUUM INTO ?').run(temp);
  // VACUUM INTO does not sync its output.
  fsyncFile(temp);
  db.close();
  const movedTo = replaced && existsSync(path) ? moveAside(path, 'replaced', now) : undefined;
  // The -wal and -shm at the path are the vanished file's (SQLite leaves them when its file was unlinked);
  // a new file there would replay that WAL into itself. Their content is in the copy.
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  renameSync(temp, path);
  fsyncFile(dirname(path));
  return movedTo ? { rows, movedTo } : { rows };
}

/**
 * A copy finished but not yet renamed into place when the process died: adopt it, as long as nothing else
 * took the path since. Returns true when it did.
 */
export function adoptRebuild(path: string): boolean {
  const temp = rebuildPath(path);
  if (!existsSync(temp) || existsSync(path)) return false;
  renameSync(temp, path);
  return true;
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
