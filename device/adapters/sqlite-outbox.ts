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
import { type FileIdentity, identityOf, sameFile } from './file-identity.js';
import { SeqWatermark } from './seq-watermark.js';
import { codeOf, OnceLog, WriteFaults } from './sqlite-outbox-faults.js';
import { adoptRebuild, recreateFrom, restoreSalvage } from './sqlite-outbox-rebuild.js';
import { configureOutboxDb, isCorruption, verifyOutboxDb } from './sqlite-outbox-schema.js';
import { type Statements, statements, toEntry } from './sqlite-outbox-statements.js';
import { quarantineDb } from './sqlite-quarantine.js';
import { salvage } from './sqlite-salvage.js';

export interface SqliteOutboxOptions {
  path: string;
  bounds: OutboxBounds;
  newId: () => string;
  /** Alerts held in RAM while the database cannot take them. */
  ramBufferMax: number;
  log?: Log;
  /** Wall clock for quarantine names and RAM-eviction records. */
  now?: () => number;
  /** Test hook: caps the database at this many pages, so SQLITE_FULL can be provoked without a full disk. */
  maxPageCount?: number;
  /**
   * How often (ms) to check that the path still names the open file, besides after every commit; a file
   * deleted or replaced under the outbox is written anew. 0: after commits only. Default 2000.
   */
  watchMs?: number;
}

/**
 * The durable Outbox: one SQLite file in WAL mode with synchronous=FULL, so `append` returns only after the
 * alert and its seq counter are committed together. When a write fails (full disk, I/O error, read-only
 * file) the alert is held in a bounded RAM buffer, still published, and written back once writes work; its
 * seq goes to a watermark file first, so no restart hands it out again. A damaged file is quarantined and
 * what can be read of it, row by row, goes into a fresh one; a file deleted or replaced under the outbox is
 * written anew from the open handle.
 */
export class SqliteOutbox implements Outbox {
  private db: Database.Database | undefined;
  private sql!: Statements;
  /** The file `db` has open, to notice when the path names another one (or none). */
  private identity: FileIdentity | undefined;
  private readonly ram: RamBuffer;
  private readonly log: Log;
  private readonly now: () => number;
  private readonly watermark: SeqWatermark;
  private readonly timer: NodeJS.Timeout | undefined;
  /** Last committed (or RAM-allocated) seq per sensor, so a failing disk does not stall seq allocation. */
  private readonly seqs = new Map<number, number>();
  /** A seq was handed out that the database's counters do not hold yet. */
  private countersBehind = false;
  /** Acked ids whose DELETE failed; hidden from pending and retried. */
  private readonly deferredAcks = new Set<string>();
  /** Eviction records written outside evict() (at append, at open), returned by the next evict(). */
  private unreported: PendingEviction[] = [];
  private alertBytes = 0;
  /** Entries in the file at the last count, for depth() while the file cannot be read. */
  private storedDepth = 0;
  private readonly faults: WriteFaults;
  private readonly readFailures: OnceLog;
  private readonly recreateFailures: OnceLog;
  private evictedCount = 0;
  private recreated = 0;
  private quarantinedTo: string | undefined;
  private closed = false;

  constructor(private readonly options: SqliteOutboxOptions) {
    this.log = options.log ?? silentLog;
    this.now = options.now ?? Date.now;
    this.ram = new RamBuffer(options.ramBufferMax, options.newId);
    this.faults = new WriteFaults(this.log, options.ramBufferMax);
    this.readFailures = new OnceLog((err) =>
      this.log.error(
        { event: 'outbox.read-failed', err: (err as Error).message, code: codeOf(err) },
        'outbox: cannot read the database; publishing only what RAM holds until it reads again',
      ),
    );
    this.recreateFailures = new OnceLog((err) =>
      this.log.error(
        { event: 'outbox.recreate-failed', err: (err as Error).message },
        'outbox: the database file was deleted or replaced while open and could not be written anew',
      ),
    );
    this.watermark = new SeqWatermark(`${options.path}.seq`, this.log);
    this.open();
    this.announceUnstored();
    const watchMs = options.watchMs ?? 2000;
    if (watchMs > 0) {
      this.timer = setInterval(() => this.tick(), watchMs);
      this.timer.unref();
    }
  }

  append(alert: AlertDraft): { alertId: string; seq: number } {
    this.assertOpen();
    const json = JSON.stringify(alert.body);
    const id = this.options.newId();
    if (this.flushRam()) {
      try {
        const seq = this.withDb(() => this.commitAlert(id, alert, json));
        this.faults.cleared();
        this.watermark.write(this.seqs, false);
        // Deleted or replaced since the last look: this row, with the rest, goes to a new file now.
        this.watch();
        return { alertId: id, seq };
      } catch (err) {
        this.faults.failed(err);
      }
    }
    const seq = (this.seqs.get(alert.sensorId) ?? 0) + 1;
    this.seqs.set(alert.sensorId, seq);
    this.countersBehind = true;
    // Durable before anyone can publish it: the database does not hold this seq, the watermark must.
    this.watermark.write(this.seqs, true);
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
    this.assertOpen();
    const want = Math.max(0, limit);
    let fromDb: OutboxEntry[] = [];
    try {
      const rows = this.withDb(() => this.sql.pending.all(want + this.deferredAcks.size));
      fromDb = rows
        .filter((r) => !this.deferredAcks.has(r.id))
        .slice(0, want)
        .map(toEntry);
      this.readFailures.ok();
    } catch (err) {
      // What RAM holds still goes out; the stored rows wait for the file to read again.
      this.readFailures.failed(err);
    }
    return [...fromDb, ...this.ram.entries()].slice(0, want);
  }

  ack(id: string): boolean {
    this.assertOpen();
    if (this.ram.remove(id)) return true;
    if (this.deferredAcks.has(id)) return false;
    try {
      const [removed] = this.withDb(() => this.sql.remove.all(id));
      if (removed === undefined) return false;
      if (removed.kind === 'alert') this.alertBytes -= removed.bytes;
      this.flushRam();
      return true;
    } catch (err) {
      this.faults.failed(err);
      this.deferredAcks.add(id);
      return true;
    }
  }

  evict(now: number): PendingEviction[] {
    this.assertOpen();
    // Rows acked while writes failed go first: an acked alert must not be counted as evicted.
    if (this.deferredAcks.size > 0) this.retryDeferredAcks();
    const written = [...this.unreported, ...this.evictStored(now)];
    this.unreported = [];
    // Space freed by the eviction may let RAM-held alerts in; they count against the bound as well.
    const buffered = this.ram.size > 0 || this.countersBehind || this.deferredAcks.size > 0;
    if (buffered && this.flushRam()) written.push(...this.evictStored(now));
    const byId = new Map(written.map((r) => [r.id, r]));
    return [...byId.values()];
  }

  private evictStored(now: number): PendingEviction[] {
    try {
      return this.withDb(() =>
        this.db!.transaction(() => {
          const old = this.sql.olderThan.all(now - this.options.bounds.maxAgeMs);
          return [...this.removeAndRecord(old, 'age', now), ...this.evictOverSize(now)];
        })(),
      );
    } catch (err) {
      // The transaction rolled back: recount what is really stored.
      try {
        this.alertBytes = this.sql.alertBytes.get()!.b;
      } catch {
        // unreadable as well; the next successful open recounts
      }
      this.faults.failed(err);
      return [];
    }
  }

  depth(): number {
    try {
      this.storedDepth = this.withDb(() => this.sql.count.get()!.n);
    } catch {
      // the last count stands
    }
    return this.storedDepth - this.deferredAcks.size + this.ram.size;
  }

  status(): OutboxStatus {
    return {
      depth: this.depth(),
      bytes: this.alertBytes + this.ram.bytes,
      ramBuffered: this.ram.alertCount,
      ...this.faults.status(),
      evicted: this.evictedCount + this.ram.dropped,
      ...(this.quarantinedTo ? { quarantinedTo: this.quarantinedTo } : {}),
      ...(this.recreated > 0 ? { recreated: this.recreated } : {}),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (!this.flushRam()) {
      this.log.error(
        {
          event: 'outbox.ram-lost',
          lost: this.ram.alertCount,
          seqs: this.ram.entries().flatMap((e) => (e.kind === 'alert' ? [`${e.sensorId}:${e.seq}`] : [])),
        },
        'outbox: the database still refuses writes at close; RAM-held alerts are lost (announced as evicted at the next start)',
      );
    }
    try {
      this.db?.close();
    } catch {
      // nothing left to save in it
    }
    this.watermark.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('outbox is closed');
  }

  private commitAlert(id: string, alert: AlertDraft, json: string): number {
    const bytes = entryBytes(json);
    const before = { alertBytes: this.alertBytes, evictedCount: this.evictedCount };
    try {
      const { seq, evicted } = this.db!.transaction(() => {
        // Seqs handed out from RAM (and maybe acked from there) count too: never below what this process used.
        const used = this.seqs.get(alert.sensorId);
        if (used !== undefined) this.sql.raiseSeq.run(alert.sensorId, used);
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

  /**
   * Retries deferred acks, then writes RAM-held entries in order and raises the stored counters to every seq
   * handed out; true when nothing is left to write.
   */
  private flushRam(): boolean {
    const deferred = this.deferredAcks.size;
    if (deferred > 0) this.retryDeferredAcks();
    if (this.ram.size === 0 && !this.countersBehind) {
      // Deletes that went through prove writes work again.
      if (deferred > 0 && this.deferredAcks.size === 0) this.faults.cleared();
      return true;
    }
    const entries = this.ram.entries();
    try {
      this.withDb(() =>
        this.db!.transaction(() => {
          for (const e of entries) {
            const json = JSON.stringify(e.body);
            if (e.kind === 'alert') {
              this.sql.insert.run(e.id, 'alert', e.sensorId, e.seq, e.createdAt, entryBytes(json), json);
            } else {
              this.sql.insert.run(e.id, 'eviction', e.sensorId, null, e.createdAt, 0, json);
            }
          }
          for (const [sensorId, seq] of this.seqs) this.sql.raiseSeq.run(sensorId, seq);
        })(),
      );
    } catch (err) {
      this.faults.failed(err);
      return false;
    }
    const cause = this.faults.current;
    this.alertBytes += this.ram.bytes;
    this.evictedCount += this.ram.dropped;
    this.ram.dropped = 0;
    this.ram.clear();
    this.countersBehind = false;
    if (this.deferredAcks.size === 0) this.faults.cleared();
    this.log.info(
      { event: 'outbox.ram-flushed', flushed: entries.length, cause: cause ?? 'none' },
      cause === 'diskFull'
        ? 'outbox: disk space is back; RAM-buffered alerts written'
        : 'outbox: the database takes writes again; RAM-held alerts written',
    );
    this.watch();
    return true;
  }

  private retryDeferredAcks(): void {
    for (const id of [...this.deferredAcks]) {
      try {
        const [removed] = this.withDb(() => this.sql.remove.all(id));
        if (removed?.kind === 'alert') this.alertBytes -= removed.bytes;
        this.deferredAcks.delete(id);
      } catch {
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
    this.log.warn(
      { event: 'outbox.evicted', evicted: rows.length, reason },
      'outbox: bound reached, oldest alerts evicted',
    );
    return written;
  }

  /** Runs `op` on an open database (opening it again after a failed recovery). */
  private withDb<T>(op: () => T): T {
    if (!this.db?.open) this.open();
    return this.guard(op);
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
    if (adoptRebuild(this.options.path)) {
      this.log.warn(
        { event: 'outbox.rebuild-adopted', path: this.options.path },
        'outbox: found a rebuilt outbox file that was not yet in place; using it',
      );
    }
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
      this.identity = identityOf(this.options.path);
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    this.sql = statements(db);
    this.alertBytes = this.sql.alertBytes.get()!.b;
    this.storedDepth = this.sql.count.get()!.n;
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
    this.db = undefined;
    const moved = quarantineDb(this.options.path, new Date(this.now()));
    this.quarantinedTo = moved;
    const saved = salvage(moved);
    this.attach();
    const { announced, rows, counters } = restoreSalvage(
      this.db!,
      this.sql,
      saved,
      this.seqs,
      this.options.newId,
      this.now(),
    );
    for (const [sensorId, seq] of counters) this.seqs.set(sensorId, seq);
    this.alertBytes = this.sql.alertBytes.get()!.b;
    this.unreported.push(...announced);
    this.evictedCount += announced.reduce((n, r) => n + r.body.count, 0);
    this.log.error(
      {
        event: 'outbox.quarantined',
        err: (err as Error).message,
        quarantinedTo: moved,
        salvagedEntries: rows,
        salvagedCounters: saved.counters.size,
      },
      'outbox: database file is corrupt; moved it aside and started a fresh one',
    );
    this.log.warn(
      {
        event: 'outbox.salvaged',
        rows,
        unreadableOrds: saved.unreadable,
        lost: announced.map((r) => ({ sensorId: r.sensorId, fromSeq: r.body.fromSeq, toSeq: r.body.toSeq })),
      },
      'outbox: copied the readable rows of the corrupt file; seqs lost with unreadable pages are announced as evicted',
    );
  }

  /**
   * At start: seqs the watermark holds above the stored counters were handed out while the database could
   * not take them (held in RAM, or written to a file deleted since) and are not stored now. They may have
   * been delivered; if not they are lost. Either way they are never handed out again, and announced.
   */
  private announceUnstored(): void {
    const marks = this.watermark.read();
    const at = this.now();
    const records: PendingEviction[] = [];
    for (const [sensorId, mark] of marks) {
      const stored = this.seqs.get(sensorId) ?? 0;
      if (mark <= stored) continue;
      const body = { fromSeq: stored + 1, toSeq: mark, count: mark - stored, reason: 'ram' as const, at };
      records.push({ kind: 'eviction', id: this.options.newId(), sensorId, createdAt: at, body });
      this.seqs.set(sensorId, mark);
      this.log.warn(
        { event: 'outbox.unstored-seqs', sensorId, fromSeq: body.fromSeq, toSeq: body.toSeq },
        'outbox: seqs handed out by an earlier run are not in the database; announcing them as evicted',
      );
    }
    if (records.length > 0) {
      try {
        this.withDb(() =>
          this.db!.transaction(() => {
            for (const r of records) {
              this.sql.insert.run(r.id, 'eviction', r.sensorId, null, r.createdAt, 0, JSON.stringify(r.body));
              this.sql.raiseSeq.run(r.sensorId, r.body.toSeq);
            }
          })(),
        );
        this.unreported.push(...records);
        this.evictedCount += records.reduce((n, r) => n + r.body.count, 0);
      } catch (err) {
        // The seqs stay raised in memory (never reused); the notice is lost with this write.
        this.countersBehind = true;
        this.faults.failed(err);
      }
    }
    this.watermark.write(this.seqs, records.length > 0);
  }

  /**
   * The timer: the file check, and the retries that need no alert to come along: deleting rows acked while
   * writes failed, and storing seqs handed out from RAM (the daemon's own 2 s retry runs only while alerts
   * wait in RAM, and it also applies the size bound to them, so RAM-held alerts are left to it).
   */
  private tick(): void {
    this.watch();
    if (this.closed || this.ram.size > 0) return;
    if (this.countersBehind || this.deferredAcks.size > 0) this.flushRam();
  }

  /** Checks that the path still names the open file; when it was deleted or replaced, writes it anew. */
  private watch(): void {
    if (this.closed || !this.db?.open || !this.identity) return;
    this.watermark.check(this.seqs);
    let now: FileIdentity | undefined;
    try {
      now = identityOf(this.options.path);
    } catch {
      return;
    }
    if (now && sameFile(now, this.identity)) return;
    const reason = now ? 'replaced' : 'deleted';
    try {
      const { rows, movedTo } = recreateFrom(
        this.db,
        this.options.path,
        now !== undefined,
        new Date(this.now()),
      );
      this.db = undefined;
      this.attach();
      if (this.countersBehind || this.seqs.size > 0) {
        this.db!.transaction(() => {
          for (const [sensorId, seq] of this.seqs) this.sql.raiseSeq.run(sensorId, seq);
        })();
      }
      this.recreated += 1;
      this.recreateFailures.ok();
      this.log.warn(
        { event: 'outbox.recreated', reason, rows, ...(movedTo ? { movedTo } : {}) },
        `outbox: the database file was ${reason} while open; wrote a new one with its rows and counters`,
      );
    } catch (err) {
      // Until a new file is in place the rows live only in the open (vanished) one: say so, retry on the timer.
      this.recreateFailures.failed(err);
      this.faults.failed(err);
    }
  }
}
