import type { EvictionBody, EvictionReason } from './outbox.js';

// Pure eviction policy, shared by every Outbox implementation so they evict the same rows.

export interface StoredAlertRef {
  ord: number;
  sensorId: number;
  seq: number;
  createdAt: number;
  bytes: number;
}

/** Oldest-first prefix of `rows` whose removal brings `totalBytes` to at most `maxBytes`. */
export function oldestOverBudget<T extends { bytes: number }>(
  rows: Iterable<T>,
  totalBytes: number,
  maxBytes: number,
): T[] {
  const out: T[] = [];
  let total = totalBytes;
  for (const row of rows) {
    if (total <= maxBytes) break;
    out.push(row);
    total -= row.bytes;
  }
  return out;
}

/** Evicted alerts summarized per sensor: the seq range and count, for one eviction record each. */
export function summarizeEvicted(
  rows: readonly StoredAlertRef[],
  reason: EvictionReason,
  at: number,
): Map<number, EvictionBody> {
  const bySensor = new Map<number, EvictionBody>();
  for (const r of rows) {
    const cur = bySensor.get(r.sensorId);
    if (cur) {
      cur.fromSeq = Math.min(cur.fromSeq, r.seq);
      cur.toSeq = Math.max(cur.toSeq, r.seq);
      cur.count += 1;
    } else {
      bySensor.set(r.sensorId, { fromSeq: r.seq, toSeq: r.seq, count: 1, reason, at });
    }
  }
  return bySensor;
}

/** Folds a new eviction into a still-pending record of the same sensor and reason (one notice, not many). */
export function mergeEviction(pending: EvictionBody, added: EvictionBody): EvictionBody {
  return {
    fromSeq: Math.min(pending.fromSeq, added.fromSeq),
    toSeq: Math.max(pending.toSeq, added.toSeq),
    count: pending.count + added.count,
    reason: pending.reason,
    at: Math.max(pending.at, added.at),
  };
}

/** Highest `ord` per sensor among evicted rows: the record takes that slot, ahead of every remaining alert. */
export function lastOrdBySensor(rows: readonly StoredAlertRef[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) out.set(r.sensorId, Math.max(out.get(r.sensorId) ?? Number.NEGATIVE_INFINITY, r.ord));
  return out;
}
