import type Database from 'better-sqlite3';
import type { StoredAlertRef } from '../outbox/eviction-plan.js';
import type { OutboxEntry } from '../outbox/outbox.js';

// The outbox's SQL, prepared once per database handle (again after a quarantine replaced the file).

export interface Row {
  ord: number;
  id: string;
  kind: 'alert' | 'eviction';
  sensor_id: number;
  seq: number | null;
  created_at: number;
  bytes: number;
  body: string;
}

export function toEntry(r: Row): OutboxEntry {
  const body = JSON.parse(r.body);
  return r.kind === 'alert'
    ? { kind: 'alert', id: r.id, sensorId: r.sensor_id, seq: r.seq!, createdAt: r.created_at, body }
    : { kind: 'eviction', id: r.id, sensorId: r.sensor_id, createdAt: r.created_at, body };
}

export function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}

export function statements(db: Database.Database) {
  return {
    nextSeq: db.prepare<[number], { seq: number }>(
      'INSERT INTO counters (sensor_id, seq) VALUES (?, 1) ON CONFLICT (sensor_id) DO UPDATE SET seq = seq + 1 RETURNING seq',
    ),
    raiseSeq: db.prepare<[number, number]>(
      'INSERT INTO counters (sensor_id, seq) VALUES (?, ?) ON CONFLICT (sensor_id) DO UPDATE SET seq = max(seq, excluded.seq)',
    ),
    insert: db.prepare<[string, string, number, number | null, number, number, string]>(
      'INSERT INTO entries (id, kind, sensor_id, seq, created_at, bytes, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertAt: db.prepare<[number, string, number, number, number, string]>(
      "INSERT INTO entries (ord, id, kind, sensor_id, seq, created_at, bytes, body) VALUES (?, ?, 'eviction', ?, NULL, ?, ?, ?)",
    ),
    pending: db.prepare<[number], Row>('SELECT * FROM entries ORDER BY ord LIMIT ?'),
    remove: db.prepare<[string], { kind: string; bytes: number }>(
      'DELETE FROM entries WHERE id = ? RETURNING kind, bytes',
    ),
    removeOrd: db.prepare<[number]>('DELETE FROM entries WHERE ord = ?'),
    olderThan: db.prepare<[number], StoredAlertRef>(
      "SELECT ord, sensor_id AS sensorId, seq, created_at AS createdAt, bytes FROM entries WHERE kind = 'alert' AND created_at < ? ORDER BY ord",
    ),
    alertsOldestFirst: db.prepare<[], StoredAlertRef>(
      "SELECT ord, sensor_id AS sensorId, seq, created_at AS createdAt, bytes FROM entries WHERE kind = 'alert' ORDER BY ord",
    ),
    pendingEviction: db.prepare<[number, string], Row>(
      "SELECT * FROM entries WHERE kind = 'eviction' AND sensor_id = ? AND json_extract(body, '$.reason') = ? LIMIT 1",
    ),
    updateBody: db.prepare<[string, number]>('UPDATE entries SET body = ? WHERE ord = ?'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM entries'),
    alertBytes: db.prepare<[], { b: number }>(
      "SELECT coalesce(sum(bytes), 0) AS b FROM entries WHERE kind = 'alert'",
    ),
    counters: db.prepare<[], { sensor_id: number; seq: number }>('SELECT sensor_id, seq FROM counters'),
  };
}

export type Statements = ReturnType<typeof statements>;
