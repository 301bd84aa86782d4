import Database from 'better-sqlite3';
import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import { entryBytes } from '../outbox/entry-bytes.js';
import {
  lastOrdBySensor,
  mergeEviction,
  oldestOverBudget,
  type StoredAlertRef,
  summarizeEvicted,
} from '../outbox/eviction-plan.js';
import type {
  AlertDraft,
  EvictionBody,
  EvictionReason,
  Outbox,
  OutboxBounds,
  OutboxEntry,
  OutboxStatus,
  PendingEviction,
} from '../outbox/outbox.js';
import { type BufferedAlert, RamBuffer } from '../outbox/ram-buffer.js';
import { configureOutboxDb, isCorruption, isDiskFull, verifyOutboxDb } from './sqlite-outbox-schema.js';
import { parses, type Statements, statements, toEntry } from './sqlite-outbox-statements.js';
import { quarantineDb, salvage } from './sqlite-quarantine.js';

export interface SqliteOutboxOptions {
  path: string;
  bounds: OutboxBounds;
  newId: () => string;
  /** Alerts held in RAM while the disk is full. */
  ramBufferMax: number;
  log?: Log;
  /** Wall clock for quarantine names and RAM-eviction records. */
  now?: () => number;
  /** Test hook: caps the database at this many pages, so SQLITE_FULL can be provoked without a full disk. */
  maxPageCount?: number;
}

/**
 * The durable Outbox: one SQLite file in WAL mode with synchronous=FULL, so `append` returns only after the
 * alert and its seq counter are committed together. A damaged file is quarantined and replaced at open or
 * on first contact; a full disk diverts alerts to a bounded RAM buffer until space returns.
 */
export class SqliteOutbox implements Outbox {
  private db!: Database.Database;
  private sql!: Statements;
  private readonly ram: RamBuffer;
  private readonly log: Log;
  private readonly now: () => number;
  /** Last committed (or RAM-allocated) seq per sensor, so a full disk does not stall seq allocation. */
  private readonly seqs = new Map<number, number>();
  /** Acked ids whose DELETE failed for lack of space; hidden from pending and retried. */
  private readonly deferredAcks = new Set<string>();
  /** Eviction records written by append() (size bound kept at commit), returned by the next evict(). */
  private unreported: PendingEviction[] = [];
  private alertBytes = 0;
  private diskFull = false;
  private evictedCount = 0;
  private quarantinedTo: string | undefined;

  constructor(private readonly options: SqliteOutboxOptions) {
    this.log = options.log ?? silentLog;
    this.now = options.now ?? Date.now;
    this.ram = new RamBuffer(options.ramBufferMax, options.newId);
    this.open();
  }

  append(alert: AlertDraft): { alertId: string; seq: number } {
    const json = JSON.stringify(alert.body);
    const id = this.options.newId();
    if (this.flushRam()) {
      try {
        const seq = this.guard(() => this.commitAlert(id, alert, json));
        return { alertId: id, seq };
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        this.enterDiskFull(err);
      }
    }
    const seq = (this.seqs.get(alert.sensorId) ?? 0) + 1;
    this.seqs.set(alert.sensorId, seq);
    const buffered: BufferedAlert = {
      kind: 'alert',
      id,
      sensorId: alert.sensorId,
      seq,
      createdAt: alert.createdAt,
      body: JSON.parse(json),
      bytes: entryBytes(json),
    };
    this.ram.push(buffered, this.now());
    return { alertId: id, seq };
  }

  pending(limit: number): OutboxEntry[] {
    const want = Math.max(0, limit);
    const rows = this.guard(() => this.sql.pending.all(want + this.deferredAcks.size));
    const fromDb = rows
      .filter((r) => !this.deferredAcks.has(r.id))
      .slice(0, want)
      .map(toEntry);
    return [...fromDb, ...this.ram.entries()].slice(0, want);
  }

  ack(id: string): boolean {
    if (this.ram.remove(id)) return true;
    try {
      const removed = this.guard(() => this.sql.remove.get(id));
      if (removed === undefined) return false;
      if (removed.kind === 'alert') this.alertBytes -= removed.bytes;
      this.flushRam();
      return true;
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.deferredAcks.add(id);
      return true;
    }
  }

  evict(now: number): PendingEviction[] {
    const written = [...this.unreported, ...this.evictStored(now)];
    this.unreported = [];
    // Space freed by the eviction may let RAM-buffered alerts in; they count against the bound as well.
    if (this.ram.size > 0 && this.flushRam()) written.push(...this.evictStored(now));
    const byId = new Map(written.map((r) => [r.id, r]));
    return [...byId.values()];
  }

  private evictStored(now: number): PendingEviction[] {
    try {
      return this.guard(() =>
        this.db.transaction(() => {
          const old = this.sql.olderThan.all(now - this.options.bounds.maxAgeMs);
          return [...this.removeAndRecord(old, 'age', now), ...this.evictOverSize(now)];
        })(),
      );
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      // The transaction rolled back: recount what is really stored.
      this.alertBytes = this.sql.alertBytes.get()!.b;
      this.enterDiskFull(err);
      return [];
    }
  }

  depth(): number {
    return this.guard(() => this.sql.count.get()!.n) - this.deferredAcks.size + this.ram.size;
  }

  status(): OutboxStatus {
    return {
      depth: this.depth(),
      bytes: this.alertBytes + this.ram.bytes,
      ramBuffered: this.ram.alertCount,
      diskFull: this.diskFull,
      evicted: this.evictedCount + this.ram.dropped,
      ...(this.quarantinedTo ? { quarantinedTo: this.quarantinedTo } : {}),
    };
  }

  close(): void {
    if (!this.db.open) return;
    if (!this.flushRam()) {
      this.log.error(
        { lost: this.ram.alertCount },
        'outbox: disk still full at close; RAM-buffered alerts are lost',
      );
    }
    this.db.close();
  }

  private commitAlert(id: string, alert: AlertDraft, json: string): number {
    const bytes = entryBytes(json);
    const before = { alertBytes: this.alertBytes, evictedCount: this.evictedCount };
    try {
      const { seq, evicted } = this.db.transaction(() => {
        const { seq } = this.sql.nextSeq.get(alert.sensorId)!;
        this.sql.insert.run(id, 'alert', alert.sensorId, seq, alert.createdAt, bytes, json);
        this.alertBytes += bytes;
        // The size bound holds at every commit: evicting in the same transaction means no reader, and no file
        // left by a crash, ever sees the outbox over maxBytes.
        return { seq, evicted: this.evictOverSize(alert.createdAt) };
      })();
      this.seqs.set(alert.sensorId, seq);
      this.unreported.push(...evicted);
      return seq;
    } catch (err) {
      // Rolled back: the counters go back with it.
      this.alertBytes = before.alertBytes;
      this.evictedCount = before.evictedCount;
      throw err;
    }
  }

  /** Writes RAM-buffered entries in order; true when the buffer is empty afterwards. */
  private flushRam(): boolean {
    if (this.deferredAcks.size > 0) this.retryDeferredAcks();
    if (this.ram.size === 0) return true;
    const entries = this.ram.entries();
    try {
      this.guard(() =>
        this.db.transaction(() => {
          for (const e of entries) {
            const json = JSON.stringify(e.body);
            if (e.kind === 'alert') {
              this.sql.insert.run(e.id, 'alert', e.sensorId, e.seq, e.createdAt, entryBytes(json), json);
              this.sql.raiseSeq.run(e.sensorId, e.seq);
            } else {
              this.sql.insert.run(e.id, 'eviction', e.sensorId, null, e.createdAt, 0, json);
            }
          }
        })(),
      );
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      return false;
    }
    this.alertBytes += this.ram.bytes;
    this.evictedCount += this.ram.dropped;
    this.ram.dropped = 0;
    this.ram.clear();
    this.diskFull = false;
    this.log.info({ flushed: entries.length }, 'outbox: disk space is back; RAM-buffered alerts written');
    return true;
  }

  private retryDeferredAcks(): void {
    for (const id of [...this.deferredAcks]) {
      try {
        const removed = this.sql.remove.get(id);
        if (removed?.kind === 'alert') this.alertBytes -= removed.bytes;
        this.deferredAcks.delete(id);
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        return;
      }
    }
  }

  /** Inside a transaction: removes the oldest alerts while the stored bytes exceed maxBytes. */
  private evictOverSize(now: number): PendingEviction[] {
    if (this.alertBytes <= this.options.bounds.maxBytes) return [];
    const over = oldestOverBudget(
      this.sql.alertsOldestFirst.iterate(),
      this.alertBytes,
      this.options.bounds.maxBytes,
    );
    return this.removeAndRecord(over, 'size', now);
  }

  private removeAndRecord(rows: StoredAlertRef[], reason: EvictionReason, now: number): PendingEviction[] {
    if (rows.length === 0) return [];
    for (const r of rows) {
      this.sql.removeOrd.run(r.ord);
      this.alertBytes -= r.bytes;
    }
    this.evictedCount += rows.length;
    const slots = lastOrdBySensor(rows);
    const written: PendingEviction[] = [];
    for (const [sensorId, body] of summarizeEvicted(rows, reason, now)) {
      const existing = this.sql.pendingEviction.get(sensorId, reason);
      if (existing) {
        const merged = mergeEviction(JSON.parse(existing.body) as EvictionBody, body);
        this.sql.updateBody.run(JSON.stringify(merged), existing.ord);
        written.push({
          kind: 'eviction',
          id: existing.id,
          sensorId,
          createdAt: existing.created_at,
          body: merged,
        });
        continue;
      }
      const id = this.options.newId();
      this.sql.insertAt.run(slots.get(sensorId)!, id, sensorId, now, 0, JSON.stringify(body));
      written.push({ kind: 'eviction', id, sensorId, createdAt: now, body });
    }
    this.log.warn({ evicted: rows.length, reason }, 'outbox: bound reached, oldest alerts evicted');
    return written;
  }

  private enterDiskFull(err: unknown): void {
    if (!this.diskFull) {
      this.log.error(
        { err: (err as Error).message, ramBufferMax: this.options.ramBufferMax },
        'outbox: disk full; holding new alerts in RAM until space returns',
      );
    }
    this.diskFull = true;
  }

  /** Runs `op`; on a corruption error quarantines the file, opens a fresh one and runs `op` once more. */
  private guard<T>(op: () => T): T {
    try {
      return op();
    } catch (err) {
      if (!isCorruption(err)) throw err;
      this.recover(err);
      return op();
    }
  }

  private open(): void {
    try {
      this.attach();
    } catch (err) {
      if (!isCorruption(err)) throw err;
      this.recover(err);
    }
  }

  private attach(): void {
    const db = new Database(this.options.path);
    try {
      configureOutboxDb(db, this.options.maxPageCount);
      verifyOutboxDb(db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    this.sql = statements(db);
    this.alertBytes = this.sql.alertBytes.get()!.b;
    for (const { sensor_id, seq } of this.sql.counters.all()) {
      this.seqs.set(sensor_id, Math.max(seq, this.seqs.get(sensor_id) ?? 0));
    }
  }

  private recover(err: unknown): void {
    try {
      if (this.db?.open) this.db.close();
    } catch {
      // the handle may be as broken as the file
    }
    const moved = quarantineDb(this.options.path, new Date(this.now()));
    this.quarantinedTo = moved;
    const saved = salvage(moved);
    this.attach();
    this.restore(saved);
    this.log.error(
      {
        err: (err as Error).message,
        quarantinedTo: moved,
        salvagedEntries: saved.entries.length,
        salvagedCounters: saved.counters.length,
      },
      'outbox: database file is corrupt; moved it aside and started a fresh one',
    );
  }

  private restore(saved: ReturnType<typeof salvage>): void {
    // Seqs must keep rising: the highest of the saved counters, the saved entries and what this process saw.
    const high = new Map(this.seqs);
    for (const c of saved.counters) high.set(c.sensor_id, Math.max(high.get(c.sensor_id) ?? 0, c.seq));
    for (const e of saved.entries) {
      if (e.seq !== null) high.set(e.sensor_id, Math.max(high.get(e.sensor_id) ?? 0, e.seq));
    }
    this.db.transaction(() => {
      for (const [sensorId, seq] of high) this.sql.raiseSeq.run(sensorId, seq);
      for (const e of saved.entries) {
        if ((e.kind !== 'alert' && e.kind !== 'eviction') || !parses(e.body)) continue;
        this.sql.insert.run(e.id, e.kind, e.sensor_id, e.seq, e.created_at, e.bytes, e.body);
      }
    })();
    for (const [sensorId, seq] of high) this.seqs.set(sensorId, seq);
    this.alertBytes = this.sql.alertBytes.get()!.b;
  }
}
