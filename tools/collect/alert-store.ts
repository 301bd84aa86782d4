// The collector's SQLite file: one row per alert and per eviction record, keyed by their UUIDv7, so a
// redelivered message (QoS 1 is at-least-once) is a no-op. Each insert is its own transaction, committed with
// synchronous=FULL before the caller lets the PUBACK go: an acked alert survives a crash or a power cut.
import Database from 'better-sqlite3';
import type { Alert, Evicted } from '../../shared/mqtt/contract.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  alert_id   TEXT PRIMARY KEY,
  device_id  TEXT NOT NULL,
  sensor_id  TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  historical INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  payload    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_sensor ON alerts (device_id, sensor_id, seq);
CREATE TABLE IF NOT EXISTS evicted (
  eviction_id TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL,
  sensor_id   TEXT NOT NULL,
  from_seq    INTEGER NOT NULL,
  to_seq      INTEGER NOT NULL,
  count       INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  received_at TEXT NOT NULL,
  payload     TEXT NOT NULL
);
`;

export class AlertStore {
  private readonly db: Database.Database;
  private readonly insertAlert: Database.Statement;
  private readonly insertEvicted: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL: readers (dashboards, the tests) never block the collector; FULL: the commit is on disk when
    // run() returns, which is what lets the PUBACK follow it.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.insertAlert = this.db.prepare(
      `INSERT OR IGNORE INTO alerts (alert_id, device_id, sensor_id, seq, kind, historical, received_at, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertEvicted = this.db.prepare(
      `INSERT OR IGNORE INTO evicted (eviction_id, device_id, sensor_id, from_seq, to_seq, count, reason, received_at, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** True when the alert is new; false when its alertId is already stored (a redelivery). */
  addAlert(a: Alert, receivedAt: string): boolean {
    const r = this.insertAlert.run(
      a.alertId,
      a.deviceId,
      a.sensorId,
      a.seq,
      a.kind,
      a.historical ? 1 : 0,
      receivedAt,
      JSON.stringify(a),
    );
    return r.changes === 1;
  }

  /** True when the eviction record is new. */
  addEvicted(e: Evicted, receivedAt: string): boolean {
    const r = this.insertEvicted.run(
      e.evictionId,
      e.deviceId,
      e.sensorId,
      e.fromSeq,
      e.toSeq,
      e.count,
      e.reason,
      receivedAt,
      JSON.stringify(e),
    );
    return r.changes === 1;
  }

  close(): void {
    this.db.close();
  }
}
