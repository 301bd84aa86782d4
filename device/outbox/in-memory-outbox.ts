import { entryBytes } from './entry-bytes.js';
import {
  lastOrdBySensor,
  mergeEviction,
  oldestOverBudget,
  type StoredAlertRef,
  summarizeEvicted,
} from './eviction-plan.js';
import type {
  AlertDraft,
  EvictionReason,
  Outbox,
  OutboxBounds,
  OutboxEntry,
  OutboxStatus,
  PendingEviction,
} from './outbox.js';

type Stored = OutboxEntry & { ord: number; bytes: number };

/** What survives a "reopen" of an in-memory outbox: the model of a database file. */
export interface InMemoryStore {
  entries: Stored[];
  counters: Map<number, number>;
  nextOrd: number;
}

export function createInMemoryStore(): InMemoryStore {
  return { entries: [], counters: new Map(), nextOrd: 1 };
}

export interface InMemoryOutboxOptions {
  bounds: OutboxBounds;
  newId: () => string;
  store?: InMemoryStore;
}

/** The reference Outbox: same contract as SqliteOutbox, no durability. Used by tests and `--dry-run`-like wiring. */
export class InMemoryOutbox implements Outbox {
  private readonly store: InMemoryStore;
  private evictedCount = 0;
  private closed = false;
  /** Eviction records written by append() (size bound kept at commit), returned by the next evict(). */
  private unreported: PendingEviction[] = [];

  constructor(private readonly options: InMemoryOutboxOptions) {
    this.store = options.store ?? createInMemoryStore();
  }

  append(alert: AlertDraft): { alertId: string; seq: number } {
    this.assertOpen();
    const seq = (this.store.counters.get(alert.sensorId) ?? 0) + 1;
    this.store.counters.set(alert.sensorId, seq);
    const id = this.options.newId();
    const body = structuredClone(alert.body);
    this.store.entries.push({
      kind: 'alert',
      id,
      sensorId: alert.sensorId,
      seq,
      createdAt: alert.createdAt,
      body,
      ord: this.store.nextOrd++,
      bytes: entryBytes(JSON.stringify(body)),
    });
    // As SqliteOutbox: the size bound holds after every append, not only after evict().
    this.unreported.push(...this.evictOverSize(alert.createdAt));
    return { alertId: id, seq };
  }

  pending(limit: number): OutboxEntry[] {
    this.assertOpen();
    return this.store.entries
      .slice(0, Math.max(0, limit))
      .map(({ ord: _o, bytes: _b, ...entry }) => structuredClone(entry));
  }

  ack(id: string): boolean {
    this.assertOpen();
    const at = this.store.entries.findIndex((e) => e.id === id);
    if (at < 0) return false;
    this.store.entries.splice(at, 1);
    return true;
  }

  evict(now: number): PendingEviction[] {
    this.assertOpen();
    const cutoff = now - this.options.bounds.maxAgeMs;
    const old = this.alerts().filter((e) => e.createdAt < cutoff);
    const written = [...this.unreported, ...this.remove(old, 'age', now)];
    this.unreported = [];
    written.push(...this.evictOverSize(now));
    // A record merged several times appears once, with its latest body.
    const byId = new Map(written.map((r) => [r.id, r]));
    return [...byId.values()];
  }

  private evictOverSize(now: number): PendingEviction[] {
    const alerts = this.alerts();
    const total = alerts.reduce((sum, e) => sum + e.bytes, 0);
    return this.remove(oldestOverBudget(alerts, total, this.options.bounds.maxBytes), 'size', now);
  }

  private alerts(): Array<Stored & { kind: 'alert' }> {
    return this.store.entries.filter((e) => e.kind === 'alert') as Array<Stored & { kind: 'alert' }>;
  }

  depth(): number {
    return this.store.entries.length;
  }

  status(): OutboxStatus {
    const bytes = this.store.entries.reduce((sum, e) => sum + (e.kind === 'alert' ? e.bytes : 0), 0);
    return {
      depth: this.depth(),
      bytes,
      ramBuffered: 0,
      diskFull: false,
      writeFailed: false,
      evicted: this.evictedCount,
    };
  }

  close(): void {
    this.closed = true;
  }

  private remove(
    rows: Array<Stored & { kind: 'alert' }>,
    reason: EvictionReason,
    now: number,
  ): PendingEviction[] {
    if (rows.length === 0) return [];
    const refs: StoredAlertRef[] = rows.map((r) => ({ ...r }));
    const gone = new Set(rows.map((r) => r.id));
    this.store.entries = this.store.entries.filter((e) => !gone.has(e.id));
    this.evictedCount += rows.length;
    const slots = lastOrdBySensor(refs);
    const written: PendingEviction[] = [];
    for (const [sensorId, body] of summarizeEvicted(refs, reason, now)) {
      const existing = this.store.entries.find(
        (e): e is Stored & PendingEviction =>
          e.kind === 'eviction' && e.sensorId === sensorId && e.body.reason === reason,
      );
      if (existing) {
        existing.body = mergeEviction(existing.body, body);
        written.push(strip(existing));
        continue;
      }
      const record: Stored & PendingEviction = {
        kind: 'eviction',
        id: this.options.newId(),
        sensorId,
        createdAt: now,
        body,
        ord: slots.get(sensorId)!,
        bytes: 0,
      };
      this.store.entries.push(record);
      written.push(strip(record));
    }
    this.store.entries.sort((a, b) => a.ord - b.ord);
    return written;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('outbox is closed');
  }
}

function strip(e: Stored & PendingEviction): PendingEviction {
  const { ord: _o, bytes: _b, ...entry } = e;
  return structuredClone(entry);
}
