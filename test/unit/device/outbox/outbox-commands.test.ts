import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../../../../device/adapters/sqlite-outbox.js';
import type { OutboxBounds, PendingAlert, PendingEviction } from '../../../../device/outbox/outbox.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';
import { clearImmutable, setImmutable, whyNoWriteFault } from '../../../helpers/immutable-file.js';

// Issue #7 (9), #13: model-based test (fc.commands) of the SQLite outbox as the publisher drives it: enqueue,
// publish (in flight), PUBACK, disconnect (in-flight publishes lost), crash + reopen, age eviction; and the
// storage faults of issue #13: writes failing (the WAL made immutable with chattr; root only) and working
// again, and one page of the file damaged before a reopen. The model is a plain list: every committed alert
// stays pending until its PUBACK or an eviction, in order, and seq rises by one per sensor whatever happens
// in between. While writes fail, alerts are held in RAM and pending all the same; the next write that works
// stores them. What a crash takes with it (RAM-held alerts) or a damaged page destroys is announced: every seq
// ever handed out is acknowledged, pending, or inside a pending eviction record of its sensor.

// tmpfs when there is one: synchronous=FULL costs an fsync per append, and this runs thousands of them.
const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const root = mkdtempSync(join(base, 'thrum-outbox-cmds-'));
// Failing writes need a filesystem that refuses writes to an open immutable file (ext4, not tmpfs): fewer runs.
const faultRoot = mkdtempSync(join(tmpdir(), 'thrum-outbox-cmds-faults-'));
const noWriteFault = whyNoWriteFault(faultRoot);
afterAll(() => {
  clearImmutable(faultRoot);
  for (const dir of [root, faultRoot]) rmSync(dir, { recursive: true, force: true });
});

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
  /** Alerts announced as evicted so far, per sensor (eviction records are never published in this test). */
  evicted: Map<number, number>;
  /** Keys acknowledged by the broker. */
  acked: Set<string>;
  /** Writes fail (the WAL is immutable). */
  broken: boolean;
  /** Keys of pending alerts held in RAM: appended while writes failed, not stored since. */
  ram: Set<string>;
  /** Alerts acked while writes failed: their rows are still stored, and come back if the process dies now. */
  deferred: ModelAlert[];
  /** Per sensor, the highest seq the database's counter holds. */
  stored: Map<number, number>;
  /** Sensors with an announcement written outside evict(), which the next evict() returns. */
  unreported: Set<number>;
}
interface Real {
  path: string;
  outbox: SqliteOutbox;
  /** Outbox ids published and not yet acknowledged, oldest first, with their model key. */
  inFlight: { id: string; key: string }[];
}

const key = (a: { sensorId: number; seq: number }) => `${a.sensorId}:${a.seq}`;
const open = (path: string) =>
  new SqliteOutbox({ path, bounds, newId: () => uuidv7(Date.now()), ramBufferMax: 1000, watchMs: 0 });
const pendingAlerts = (r: Real) =>
  r.outbox.pending(10_000).filter((e): e is PendingAlert => e.kind === 'alert');
const pendingEvictions = (r: Real) =>
  r.outbox.pending(10_000).filter((e): e is PendingEviction => e.kind === 'eviction');
const setWal = (r: Real, immutable: boolean) => setImmutable(`${r.path}-wal`, immutable);

/** Order of appends: seq per sensor, interleaved as they came (createdAt is random, so not by time). */
let appendOrder = new Map<string, number>();
const byAppendOrder = (a: ModelAlert, b: ModelAlert) => appendOrder.get(key(a))! - appendOrder.get(key(b))!;

function checkSame(m: Model, r: Real): void {
  expect(pendingAlerts(r).map(key)).toEqual(m.pending.map(key));
  expect(r.inFlight.map((f) => f.key)).toEqual(m.inFlight);
  // Nothing is lost silently: every seq handed out is acked, pending, or announced by a pending record.
  const records = pendingEvictions(r);
  const pendingKeys = new Set(m.pending.map(key));
  for (const [sensorId, next] of m.nextSeq) {
    for (let seq = 1; seq < next; seq++) {
      const k = key({ sensorId, seq });
      const announced = records.some(
        (e) => e.sensorId === sensorId && seq >= e.body.fromSeq && seq <= e.body.toSeq,
      );
      if (!m.acked.has(k) && !pendingKeys.has(k) && !announced) throw new Error(`seq ${k} lost silently`);
    }
  }
}

/** A write went through: RAM-held alerts and deferred deletes are stored, the counters caught up. */
function written(m: Model): void {
  m.ram.clear();
  m.deferred = [];
  for (const [sensorId, next] of m.nextSeq) m.stored.set(sensorId, next - 1);
}

/**
 * The process ends (close, as a crash would leave things when writes fail: RAM gone). With writes still
 * failing, the RAM-held alerts are lost and announced at the next start, deferred acks are undone.
 */
function endProcess(m: Model, r: Real): void {
  r.outbox.close();
  if (!m.broken) {
    written(m);
    return;
  }
  setWal(r, false);
  m.broken = false;
  m.pending = [...m.pending.filter((a) => !m.ram.has(key(a))), ...m.deferred].sort(byAppendOrder);
  for (const a of m.deferred) m.acked.delete(key(a));
  for (const [sensorId, next] of m.nextSeq) {
    const lost = next - 1 - (m.stored.get(sensorId) ?? 0);
    if (lost <= 0) continue;
    m.evicted.set(sensorId, (m.evicted.get(sensorId) ?? 0) + lost);
    m.unreported.add(sensorId);
  }
  m.ram.clear();
  m.deferred = [];
  for (const [sensorId, next] of m.nextSeq) m.stored.set(sensorId, next - 1);
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
    const alert = { sensorId: this.sensorId, seq, createdAt };
    appendOrder.set(key(alert), appendOrder.size);
    m.pending.push(alert);
    if (m.broken) m.ram.add(key(alert));
    else written(m);
    expect(r.outbox.status()).toMatchObject({ writeFailed: m.broken, ramBuffered: m.ram.size });
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
    expect(r.outbox.ack(f.id)).toBe(wasPending);
    if (wasPending) {
      const [alert] = m.pending.splice(index, 1);
      m.acked.add(k);
      if (m.ram.has(k))
        m.ram.delete(k); // gone from RAM, no write needed
      else if (m.broken) m.deferred.push(alert!);
      else written(m); // the delete worked, and what RAM held followed it
    }
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
    // Closing the handle is what a crash leaves on disk with WAL + synchronous=FULL: every committed
    // transaction, nothing more (close() writes RAM back only when writes work, as the next run would).
    endProcess(m, r);
    r.outbox = open(r.path);
    m.inFlight = [];
    r.inFlight = [];
    checkSame(m, r);
  }
  toString = () => 'crash+reopen';
}

/**
 * Age bound: alerts older than maxAgeMs at NOW go, oldest first, and their sensor's pending eviction record
 * (merged while it waits to be published) counts every alert evicted so far. While writes fail nothing
 * goes (the delete cannot commit); once they work, what RAM held is stored and evicted like the rest.
 */
class Evict implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const records = r.outbox.evict(NOW);
    const expired = m.broken ? [] : m.pending.filter((a) => a.createdAt < NOW - bounds.maxAgeMs);
    if (!m.broken) {
      written(m);
      m.pending = m.pending.filter((a) => a.createdAt >= NOW - bounds.maxAgeMs);
    }
    for (const a of expired) m.evicted.set(a.sensorId, (m.evicted.get(a.sensorId) ?? 0) + 1);
    // A record is written only for a sensor that lost alerts in this call, or was announced at an open.
    for (const rec of records)
      expect(expired.some((a) => a.sensorId === rec.sensorId) || m.unreported.has(rec.sensorId)).toBe(true);
    m.unreported.clear();
    // Nothing leaves silently: the pending eviction records of each sensor count all its evicted alerts.
    const announced = new Map<number, number>();
    for (const e of pendingEvictions(r))
      announced.set(e.sensorId, (announced.get(e.sensorId) ?? 0) + e.body.count);
    expect(announced).toEqual(m.evicted);
    checkSame(m, r);
  }
  toString = () => 'evict';
}

/** Writes start failing with SQLITE_IOERR (the WAL is made immutable). */
class BreakWrites implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => !m.broken;
  run(m: Model, r: Real): void {
    setWal(r, true);
    m.broken = true;
    checkSame(m, r);
  }
  toString = () => 'break-writes';
}

/** Writes work again; nothing is stored until the next write is attempted (append, ack, evict). */
class FixWrites implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => m.broken;
  run(m: Model, r: Real): void {
    setWal(r, false);
    m.broken = false;
    checkSame(m, r);
  }
  toString = () => 'fix-writes';
}

/**
 * The process ends, one leaf page of the entries table is overwritten, the outbox is opened again: it
 * quarantines the file and salvages it row by row. The model cannot know which rows shared the page; it
 * takes the survivors from the real outbox, after checking that they are model alerts in model order and that
 * every alert that did not survive is announced.
 */
class DamagePage implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    endProcess(m, r);
    const db = new Database(r.path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const leaves = db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' ORDER BY path")
      .all() as Array<{ pageno: number }>;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const page = leaves[this.pick % leaves.length]!.pageno;
    const bytes = readFileSync(r.path);
    bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize);
    writeFileSync(r.path, bytes);

    r.outbox = open(r.path);
    m.inFlight = [];
    r.inFlight = [];
    expect(r.outbox.status().quarantinedTo).toBeDefined();
    const survivors = new Set(pendingAlerts(r).map(key));
    const kept = m.pending.filter((a) => survivors.has(key(a)));
    expect(kept.map(key)).toEqual(pendingAlerts(r).map(key));
    m.pending = kept;
    m.evicted = new Map();
    for (const e of pendingEvictions(r))
      m.evicted.set(e.sensorId, (m.evicted.get(e.sensorId) ?? 0) + e.body.count);
    for (const e of pendingEvictions(r)) m.unreported.add(e.sensorId);
    checkSame(m, r);
    // Seq keeps rising past everything handed out before.
    for (const [sensorId, next] of m.nextSeq) m.stored.set(sensorId, next - 1);
  }
  toString = () => `damage-page(${this.pick})`;
}

const baseCommands = [
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 48 })))
    .map(([s, age]) => new Enqueue(s, age)),
  fc.constant(new Publish()),
  fc.constant(new Puback()),
  fc.constant(new Disconnect()),
  fc.constant(new CrashReopen()),
  fc.constant(new Evict()),
  fc.nat(100).map((pick) => new DamagePage(pick)),
];
const faultCommands = [...baseCommands, fc.constant(new BreakWrites()), fc.constant(new FixWrites())];

function runModel(dir: string, commands: typeof faultCommands, numRuns: number): void {
  let run = 0;
  fc.assert(
    fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
      const path = join(dir, `o${++run}.db`);
      appendOrder = new Map();
      const model: Model = {
        nextSeq: new Map(),
        pending: [],
        inFlight: [],
        evicted: new Map(),
        acked: new Set(),
        broken: false,
        ram: new Set(),
        deferred: [],
        stored: new Map(),
        unreported: new Set(),
      };
      const real: Real = { path, outbox: open(path), inFlight: [] };
      try {
        fc.modelRun(() => ({ model, real }), cmds);
      } finally {
        if (model.broken) setWal(real, false);
        real.outbox.close();
        for (const f of rmTargets(path)) rmSync(f, { recursive: true, force: true });
      }
    }),
    { numRuns },
  );
}

describe('SqliteOutbox against a list model (fc.commands)', () => {
  it('enqueue / publish / PUBACK / disconnect / crash-reopen / evict / damaged page never lose an alert silently or reorder one', () => {
    runModel(root, baseCommands, process.env.CI ? 1000 : 150);
  }, 240_000);

  it('the same with writes failing (SQLITE_IOERR from an immutable WAL) and working again', (ctx) => {
    if (noWriteFault) ctx.skip(noWriteFault);
    runModel(faultRoot, faultCommands, process.env.CI ? 300 : 60);
  }, 240_000);
});

/** The outbox file, its -wal/-shm, seq watermark and quarantined copies. */
function rmTargets(path: string): string[] {
  const dir = dirname(path);
  const name = basename(path);
  return readdirSync(dir)
    .filter((f) => f === name || f.startsWith(`${name}.`) || f.startsWith(`${name}-`))
    .map((f) => join(dir, f));
}
