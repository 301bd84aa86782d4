// The outbox is the daemon's store of alerts not yet acknowledged by the broker. It is the only place an
// alert lives between detection and PUBACK, so every implementation keeps these promises (checked by one
// contract suite for all of them, test/unit/device/outbox/outbox-contract.ts):
// - `append` returns only after the alert is durable (SQLite: committed), with a fresh alertId and the next
//   `seq` of its sensor; seq counters survive a reopen. When the storage refuses the write (full disk, I/O
//   error), the alert is held in RAM with its seq, offered by `pending` all the same, and written later; it
//   never throws for a storage fault (`status()` says so instead).
// - `pending` returns entries oldest first; `ack` removes one by id.
// - the size bound holds after every `append` (the oldest alerts go in the same commit); `evict` applies the
//   age bound (and the size bound again) and returns every eviction record written since its last call. What
//   was removed is recorded as an eviction entry (sensor, seq range, count, reason) that is itself pending
//   until published and acked.

/** Fields of an alert the detector decides; the outbox adds alertId and seq. */
export interface AlertDraft {
  sensorId: number;
  /** Epoch ms at detection; used for the age bound and the `historical` flag. */
  createdAt: number;
  /** The rest of the alert payload (kind, score, threshold, windowStart, ...), stored as JSON. */
  body: Record<string, unknown>;
}

export type EvictionReason = 'age' | 'size' | 'ram';

/** What an eviction removed, per sensor. Seqs in [fromSeq, toSeq] not covered by `count` were acked. */
export interface EvictionBody {
  fromSeq: number;
  toSeq: number;
  count: number;
  reason: EvictionReason;
  /** Epoch ms of the (latest) eviction this record covers. */
  at: number;
}

export interface PendingAlert {
  kind: 'alert';
  id: string;
  sensorId: number;
  seq: number;
  createdAt: number;
  body: Record<string, unknown>;
}

export interface PendingEviction {
  kind: 'eviction';
  id: string;
  sensorId: number;
  createdAt: number;
  body: EvictionBody;
}

export type OutboxEntry = PendingAlert | PendingEviction;

export interface OutboxBounds {
  /** Bound on the summed size of stored alerts (see entryBytes). */
  maxBytes: number;
  maxAgeMs: number;
}

export interface OutboxStatus {
  /** Entries pending (alerts + eviction records), on disk and in RAM. */
  depth: number;
  /** Summed size of pending alerts. */
  bytes: number;
  /** Alerts held in RAM because the database could not take them (not crash-safe until flushed). */
  ramBuffered: number;
  /** The last write failed for lack of space. */
  diskFull: boolean;
  /** The last write failed for another reason (an I/O error, a read-only or vanished file); retried. */
  writeFailed: boolean;
  /** Message of that failure, while it lasts. */
  writeError?: string;
  /** A corrupt database was moved aside at this path since start. */
  quarantinedTo?: string;
  /** Alerts evicted since start (all reasons). */
  evicted: number;
  /** Times the file was found deleted or replaced under the open outbox and written anew, since start. */
  recreated?: number;
}

export interface Outbox {
  append(alert: AlertDraft): { alertId: string; seq: number };
  pending(limit: number): OutboxEntry[];
  /** Removes an entry by id; false when it was not there (already acked or evicted). */
  ack(id: string): boolean;
  /** Applies the bounds at time `now` (epoch ms); returns the eviction records written since the last call. */
  evict(now: number): PendingEviction[];
  depth(): number;
  status(): OutboxStatus;
  close(): void;
}
