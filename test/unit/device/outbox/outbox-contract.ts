import { describe, expect, it } from 'vitest';
import type { Outbox, OutboxBounds, PendingAlert } from '../../../../device/outbox/outbox.js';

// One suite, every Outbox implementation: the in-memory model and SQLite must be indistinguishable.

export interface OutboxHarness {
  /** Opens (or reopens) an outbox over the same backing storage. */
  open(bounds?: Partial<OutboxBounds>): Outbox;
}

const DAY = 86_400_000;
export const T0 = Date.UTC(2025, 0, 1);

function bounds(b: Partial<OutboxBounds> = {}): OutboxBounds {
  return { maxBytes: 10_000_000, maxAgeMs: 30 * DAY, ...b };
}

export function draft(sensorId: number, n: number, createdAt = T0 + n * 1000) {
  return {
    sensorId,
    createdAt,
    body: { kind: n % 2 ? 'raised' : 'cleared', score: n / 10, nested: { n, tag: `a${n}` } },
  };
}

const alertsOf = (o: Outbox) => o.pending(1e6).filter((e): e is PendingAlert => e.kind === 'alert');

export function outboxContract(name: string, makeHarness: () => OutboxHarness): void {
  describe(`Outbox contract: ${name}`, () => {
    it('numbers alerts per sensor from 1 and gives each a distinct UUIDv7 id', () => {
      const o = makeHarness().open(bounds());
      const got = [draft(1, 1), draft(1, 2), draft(2, 3), draft(1, 4)].map((d) => o.append(d));
      expect(got.map((g) => g.seq)).toEqual([1, 2, 1, 3]);
      expect(new Set(got.map((g) => g.alertId)).size).toBe(4);
      for (const g of got)
        expect(g.alertId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      o.close();
    });

    it('keeps seq counters and pending alerts across a reopen, and never reuses a seq after an ack', () => {
      const h = makeHarness();
      const a = h.open(bounds());
      for (let i = 1; i <= 3; i++) a.append(draft(7, i));
      const first = a.pending(1)[0]!;
      expect(a.ack(first.id)).toBe(true);
      a.close();
      const b = h.open(bounds());
      expect(alertsOf(b).map((e) => e.seq)).toEqual([2, 3]);
      expect(b.append(draft(7, 4)).seq).toBe(4);
      for (const e of b.pending(10)) b.ack(e.id);
      b.close();
      const c = h.open(bounds());
      expect(c.depth()).toBe(0);
      expect(c.append(draft(7, 5)).seq).toBe(5);
      c.close();
    });

    it('returns pending entries oldest first, bodies intact, at most `limit`', () => {
      const o = makeHarness().open(bounds());
      const ids = [draft(1, 1), draft(2, 2), draft(1, 3)].map((d) => o.append(d).alertId);
      const all = o.pending(10);
      expect(all.map((e) => e.id)).toEqual(ids);
      expect(all[1]).toEqual({
        kind: 'alert',
        id: ids[1],
        sensorId: 2,
        seq: 1,
        createdAt: T0 + 2000,
        body: draft(2, 2).body,
      });
      expect(o.pending(2).map((e) => e.id)).toEqual(ids.slice(0, 2));
      expect(o.pending(0)).toEqual([]);
      o.close();
    });

    it('acks by id: removes exactly that entry, reports unknown ids, depth follows', () => {
      const o = makeHarness().open(bounds());
      const ids = [1, 2, 3].map((n) => o.append(draft(1, n)).alertId);
      expect(o.depth()).toBe(3);
      expect(o.ack(ids[1]!)).toBe(true);
      expect(o.ack(ids[1]!)).toBe(false);
      expect(o.ack('no-such-id')).toBe(false);
      expect(o.pending(10).map((e) => e.id)).toEqual([ids[0], ids[2]]);
      expect(o.depth()).toBe(2);
      expect(o.status().depth).toBe(2);
      o.close();
    });

    it('does nothing when within bounds', () => {
      const o = makeHarness().open(bounds());
      for (let i = 1; i <= 5; i++) o.append(draft(1, i));
      expect(o.evict(T0 + 10_000)).toEqual([]);
      expect(o.depth()).toBe(5);
      o.close();
    });

    it('evicts the oldest alerts over maxBytes and records the seq range ahead of the survivors', () => {
      const h = makeHarness();
      const probe = h.open(bounds());
      probe.append(draft(9, 1));
      const perAlert = probe.status().bytes;
      probe.close();

      const o = makeHarness().open(bounds({ maxBytes: perAlert * 4 + perAlert / 2 }));
      for (let i = 1; i <= 6; i++) o.append(draft(1, i));
      for (let i = 7; i <= 8; i++) o.append(draft(2, i));
      const records = o.evict(T0 + 60_000);
      // 8 alerts, room for 4: sensor 1's seq 1..4 go.
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        kind: 'eviction',
        sensorId: 1,
        body: { fromSeq: 1, toSeq: 4, count: 4, reason: 'size' },
      });
      const pending = o.pending(100);
      expect(pending[0]!.kind).toBe('eviction');
      expect(pending.slice(1).map((e) => (e.kind === 'alert' ? `${e.sensorId}:${e.seq}` : 'x'))).toEqual([
        '1:5',
        '1:6',
        '2:1',
        '2:2',
      ]);
      expect(o.status().bytes).toBeLessThanOrEqual(perAlert * 4 + perAlert / 2);
      expect(o.status().evicted).toBe(4);
      expect(o.append(draft(1, 9)).seq).toBe(7);
      o.close();
    });

    it('keeps the size bound at every append; the next evict() returns the record once', () => {
      const probe = makeHarness().open(bounds());
      probe.append(draft(9, 1));
      const perAlert = probe.status().bytes;
      probe.close();

      const maxBytes = perAlert * 3 + perAlert / 2;
      const o = makeHarness().open(bounds({ maxBytes }));
      for (let i = 1; i <= 7; i++) {
        o.append(draft(1, i));
        expect(o.status().bytes).toBeLessThanOrEqual(maxBytes);
      }
      expect(o.status().evicted).toBe(4);
      // Four evictions at four appends, folded into one pending record: returned once, with the latest body.
      const records = o.evict(T0 + 60_000);
      expect(records).toHaveLength(1);
      expect(records[0].body).toMatchObject({ fromSeq: 1, toSeq: 4, count: 4, reason: 'size' });
      expect(o.evict(T0 + 60_000)).toEqual([]);
      expect(o.pending(100).filter((e) => e.kind === 'eviction')).toHaveLength(1);
      o.close();
    });

    it('evicts alerts older than maxAge, one record per sensor', () => {
      const o = makeHarness().open(bounds({ maxAgeMs: 2 * DAY }));
      o.append(draft(1, 1, T0));
      o.append(draft(2, 2, T0 + 1000));
      o.append(draft(1, 3, T0 + DAY));
      o.append(draft(1, 4, T0 + 3 * DAY));
      const records = o.evict(T0 + 3 * DAY + 1);
      const bySensor = Object.fromEntries(records.map((r) => [r.sensorId, r.body]));
      expect(bySensor[1]).toMatchObject({
        fromSeq: 1,
        toSeq: 2,
        count: 2,
        reason: 'age',
        at: T0 + 3 * DAY + 1,
      });
      expect(bySensor[2]).toMatchObject({ fromSeq: 1, toSeq: 1, count: 1, reason: 'age' });
      expect(alertsOf(o).map((e) => e.seq)).toEqual([3]);
      o.close();
    });

    it('folds repeated evictions into the pending record; after its ack a new record starts', () => {
      const o = makeHarness().open(bounds({ maxAgeMs: DAY }));
      o.append(draft(1, 1, T0));
      o.evict(T0 + 2 * DAY);
      o.append(draft(1, 2, T0 + 2 * DAY));
      const second = o.evict(T0 + 4 * DAY);
      expect(second[0]!.body).toMatchObject({ fromSeq: 1, toSeq: 2, count: 2 });
      const records = o.pending(10).filter((e) => e.kind === 'eviction');
      expect(records).toHaveLength(1);
      expect(o.ack(records[0]!.id)).toBe(true);
      o.append(draft(1, 3, T0 + 4 * DAY));
      const third = o.evict(T0 + 6 * DAY);
      expect(third[0]!.id).not.toBe(records[0]!.id);
      expect(third[0]!.body).toMatchObject({ fromSeq: 3, toSeq: 3, count: 1 });
      o.close();
    });

    it('keeps eviction records (they are not alerts) and they survive a reopen', () => {
      const h = makeHarness();
      const o = h.open(bounds({ maxAgeMs: DAY }));
      o.append(draft(3, 1, T0));
      o.append(draft(3, 2, T0 + 3 * DAY));
      o.evict(T0 + 3 * DAY);
      o.close();
      const again = h.open(bounds({ maxAgeMs: DAY }));
      const entries = again.pending(10);
      expect(entries.map((e) => e.kind)).toEqual(['eviction', 'alert']);
      expect(again.evict(T0 + 3 * DAY + 1000)).toEqual([]);
      expect(again.depth()).toBe(2);
      again.close();
    });

    it('refuses use after close', () => {
      const o = makeHarness().open(bounds());
      o.close();
      expect(() => o.append(draft(1, 1))).toThrow();
    });
  });
}
