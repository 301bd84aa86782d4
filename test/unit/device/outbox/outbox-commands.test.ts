import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../../../../device/adapters/sqlite-outbox.js';
import type { OutboxBounds, PendingAlert } from '../../../../device/outbox/outbox.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';

// Issue #7 (9): model-based test (fc.commands) of the SQLite outbox as the publisher drives it: enqueue,
// publish (in flight), PUBACK, disconnect (in-flight publishes lost), crash + reopen, age eviction. The model
// is a plain list: every committed alert stays pending until its PUBACK or an eviction, in order, and seq
// rises by one per sensor whatever happens in between.

// tmpfs when there is one: synchronous=FULL costs an fsync per append, and this runs thousands of them.
const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const root = mkdtempSync(join(base, 'thrum-outbox-cmds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const bounds: OutboxBounds = { maxBytes: 1 << 30, maxAgeMs: 24 * HOUR };

interface ModelAlert {
  sensorId: number;
  seq: number;
  createdAt: number;
}
interface Model {
  nextSeq: Map<number, number>;
  pending: ModelAlert[];
  /** Seqs published and not yet acknowledged, oldest first, as `${sensorId}:${seq}`. */
  inFlight: string[];
  /** Alerts evicted so far, per sensor (eviction records are never published in this test). */
  evicted: Map<number, number>;
}
interface Real {
  path: string;
  outbox: SqliteOutbox;
  /** Outbox ids published and not yet acknowledged, oldest first, with their model key. */
  inFlight: { id: string; key: string }[];
}

const key = (a: { sensorId: number; seq: number }) => `${a.sensorId}:${a.seq}`;
const open = (path: string) =>
  new SqliteOutbox({ path, bounds, newId: () => uuidv7(Date.now()), ramBufferMax: 10 });
const pendingAlerts = (r: Real) =>
  r.outbox.pending(10_000).filter((e): e is PendingAlert => e.kind === 'alert');

function checkSame(m: Model, r: Real): void {
  expect(pendingAlerts(r).map(key)).toEqual(m.pending.map(key));
  expect(r.inFlight.map((f) => f.key)).toEqual(m.inFlight);
}

class Enqueue implements fc.Command<Model, Real> {
  constructor(
    readonly sensorId: number,
    readonly ageHours: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const createdAt = NOW - this.ageHours * HOUR;
    const { seq } = r.outbox.append({ sensorId: this.sensorId, createdAt, body: { kind: 'raised' } });
    const expected = m.nextSeq.get(this.sensorId) ?? 1;
    expect(seq).toBe(expected);
    m.nextSeq.set(this.sensorId, expected + 1);
    m.pending.push({ sensorId: this.sensorId, seq, createdAt });
    checkSame(m, r);
  }
  toString = () => `enqueue(${this.sensorId}, -${this.ageHours}h)`;
}

/** Publishes the oldest pending alert that is not in flight yet (the publisher replays in order). */
class Publish implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => m.pending.some((a) => !m.inFlight.includes(key(a)));
  run(m: Model, r: Real): void {
    const next = m.pending.find((a) => !m.inFlight.includes(key(a)))!;
    const real = pendingAlerts(r).find((a) => !r.inFlight.some((f) => f.id === a.id))!;
    expect(key(real)).toBe(key(next));
    m.inFlight.push(key(next));
    r.inFlight.push({ id: real.id, key: key(real) });
    checkSame(m, r);
  }
  toString = () => 'publish';
}

/** The broker's PUBACK for the oldest publish in flight: the row goes (unless an eviction took it first). */
class Puback implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => m.inFlight.length > 0;
  run(m: Model, r: Real): void {
    const k = m.inFlight.shift()!;
    const f = r.inFlight.shift()!;
    const index = m.pending.findIndex((a) => key(a) === k);
    const wasPending = index >= 0;
    if (wasPending) m.pending.splice(index, 1);
    expect(r.outbox.ack(f.id)).toBe(wasPending);
    checkSame(m, r);
  }
  toString = () => 'puback';
}

/** The connection drops: publishes in flight get no PUBACK, their rows stay and are published again. */
class Disconnect implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    m.inFlight = [];
    r.inFlight = [];
    checkSame(m, r);
  }
  toString = () => 'disconnect';
}

/** Power cut: the process dies (no close), the database is reopened; everything committed is still there. */
class CrashReopen implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    // Closing the handle without any outbox call in between is what a crash leaves on disk with WAL +
    // synchronous=FULL: every committed transaction, nothing more.
    r.outbox.close();
    r.outbox = open(r.path);
    m.inFlight = [];
    r.inFlight = [];
    checkSame(m, r);
  }
  toString = () => 'crash+reopen';
}

/**
 * Age bound: alerts older than maxAgeMs at NOW go, oldest first, and their sensor's pending eviction record
 * (merged while it waits to be published) counts every alert evicted so far.
 */
class Evict implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const records = r.outbox.evict(NOW);
    const expired = m.pending.filter((a) => a.createdAt < NOW - bounds.maxAgeMs);
    m.pending = m.pending.filter((a) => a.createdAt >= NOW - bounds.maxAgeMs);
    for (const a of expired) m.evicted.set(a.sensorId, (m.evicted.get(a.sensorId) ?? 0) + 1);
    // A record is written only for a sensor that lost alerts in this call.
    for (const rec of records) expect(expired.some((a) => a.sensorId === rec.sensorId)).toBe(true);
    // Nothing leaves silently: the pending eviction records of each sensor count all its evicted alerts.
    const announced = new Map<number, number>();
    for (const e of r.outbox.pending(10_000)) {
      if (e.kind === 'eviction') announced.set(e.sensorId, (announced.get(e.sensorId) ?? 0) + e.body.count);
    }
    expect(announced).toEqual(m.evicted);
    checkSame(m, r);
  }
  toString = () => 'evict';
}

const commands = [
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 48 })))
    .map(([s, age]) => new Enqueue(s, age)),
  fc.constant(new Publish()),
  fc.constant(new Puback()),
  fc.constant(new Disconnect()),
  fc.constant(new CrashReopen()),
  fc.constant(new Evict()),
];

describe('SqliteOutbox against a list model (fc.commands)', () => {
  it('enqueue / publish / PUBACK / disconnect / crash-reopen / evict never lose or reorder an alert', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        const path = join(root, `o${++run}.db`);
        const model: Model = { nextSeq: new Map(), pending: [], inFlight: [], evicted: new Map() };
        const real: Real = { path, outbox: open(path), inFlight: [] };
        try {
          fc.modelRun(() => ({ model, real }), cmds);
        } finally {
          real.outbox.close();
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
        }
      }),
      { numRuns: process.env.CI ? 1000 : 150 },
    );
  }, 120_000);
});
