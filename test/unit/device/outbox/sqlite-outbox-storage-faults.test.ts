import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteOutbox, type SqliteOutboxOptions } from '../../../../device/adapters/sqlite-outbox.js';
import type { OutboxEntry, PendingAlert, PendingEviction } from '../../../../device/outbox/outbox.js';
import type { Log } from '../../../../shared/log.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';
import { clearImmutable, setImmutable, whyNoWriteFault } from '../../../helpers/immutable-file.js';
import { draft, T0 } from './outbox-contract.js';

// Issue #13 (2, 3, 4): storage faults under a running outbox, each against a real SQLite file: a write error
// that is not a full disk (the WAL made immutable with chattr), one damaged page of a file with hundreds of
// pending alerts, and the file deleted or replaced while the outbox has it open.

const root = mkdtempSync(join(tmpdir(), 'thrum-outbox-faults-'));
afterAll(() => {
  clearImmutable(root);
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
const freshPath = () => join(root, `f${++n}.db`);

type Logged = { level: string; msg?: string } & Record<string, unknown>;
function recorder(): Log & { lines: Logged[]; events: (e: string) => Logged[] } {
  const lines: Logged[] = [];
  const at = (level: string) => (o: object, msg?: string) => lines.push({ level, msg, ...o });
  return {
    lines,
    events: (e) => lines.filter((l) => l.event === e),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

function options(path: string, extra: Partial<SqliteOutboxOptions> = {}): SqliteOutboxOptions {
  return {
    path,
    bounds: { maxBytes: 1e9, maxAgeMs: 30 * 86_400_000 },
    newId: () => uuidv7(Date.now()),
    ramBufferMax: 100,
    now: () => T0,
    watchMs: 0,
    ...extra,
  };
}

const seqs = (entries: OutboxEntry[]) =>
  entries.filter((e): e is PendingAlert => e.kind === 'alert').map((e) => e.seq);
const evictions = (entries: OutboxEntry[]) =>
  entries.filter((e): e is PendingEviction => e.kind === 'eviction');
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

const noWriteFault = whyNoWriteFault(root);
const immutable = setImmutable;

describe('SqliteOutbox: a write error that is not a full disk (chattr +i on the WAL)', () => {
  beforeEach((ctx) => {
    if (noWriteFault) ctx.skip(noWriteFault);
  });

  it('keeps the alert in RAM with the next seq, flags it, offers it for publishing, and writes it back', () => {
    const path = freshPath();
    const log = recorder();
    const o = new SqliteOutbox(options(path, { log }));
    o.append(draft(1, 1));
    o.append(draft(1, 2));
    immutable(`${path}-wal`, true);
    try {
      expect(o.append(draft(1, 3)).seq).toBe(3);
      expect(o.status()).toMatchObject({ writeFailed: true, diskFull: false, ramBuffered: 1 });
      expect(log.events('outbox.write-failed')).toHaveLength(1);
      expect(String(log.events('outbox.write-failed')[0]!.code)).toMatch(/^SQLITE_IOERR/);
      expect(seqs(o.pending(10))).toEqual([1, 2, 3]);
      // A PUBACK for a stored row cannot delete it now: hidden from pending, deleted once writes work.
      expect(o.ack(o.pending(1)[0]!.id)).toBe(true);
      expect(seqs(o.pending(10))).toEqual([2, 3]);
      expect(o.append(draft(1, 4)).seq).toBe(4);
      // Retrying while the fault lasts changes nothing and logs nothing new.
      expect(o.evict(T0)).toEqual([]);
      expect(o.status()).toMatchObject({ writeFailed: true, ramBuffered: 2 });
      expect(log.events('outbox.write-failed')).toHaveLength(1);
    } finally {
      immutable(`${path}-wal`, false);
    }
    o.evict(T0);
    expect(o.status()).toMatchObject({ writeFailed: false, ramBuffered: 0 });
    expect(log.events('outbox.ram-flushed')[0]).toMatchObject({ flushed: 2 });
    o.close();
    const reopened = new SqliteOutbox(options(path));
    expect(seqs(reopened.pending(10))).toEqual([2, 3, 4]);
    expect(reopened.append(draft(1, 5)).seq).toBe(5);
    reopened.close();
  });

  it('never reuses a seq held in RAM when the process ends before writes work again; announces it', () => {
    const path = freshPath();
    const o = new SqliteOutbox(options(path, { log: recorder() }));
    o.append(draft(2, 1));
    o.append(draft(2, 2));
    immutable(`${path}-wal`, true);
    try {
      expect(o.append(draft(2, 3)).seq).toBe(3);
      const four = o.append(draft(2, 4));
      // seq 4 was published and acknowledged from RAM: it reached the broker, only its seq lives on.
      expect(o.ack(four.alertId)).toBe(true);
      o.close(); // writes still fail: seq 3 is lost with the process, as in a crash
    } finally {
      immutable(`${path}-wal`, false);
    }
    const log = recorder();
    const again = new SqliteOutbox(options(path, { log }));
    expect(again.append(draft(2, 5)).seq).toBe(5);
    const entries = again.pending(10);
    expect(seqs(entries)).toEqual([1, 2, 5]);
    expect(evictions(entries).map((e) => e.body)).toEqual([
      { fromSeq: 3, toSeq: 4, count: 2, reason: 'ram', at: T0 },
    ]);
    expect(log.events('outbox.unstored-seqs')[0]).toMatchObject({ sensorId: 2, fromSeq: 3, toSeq: 4 });
    expect(again.evict(T0).map((r) => r.body.fromSeq)).toEqual([3]);
    again.close();
  });
});

/** Bodies the size the daemon writes (an alert payload without alertId/seq/historical). */
const alertLike = (i: number) => ({
  sensorId: 1,
  createdAt: T0 + i * 1000,
  body: {
    deviceId: 'e2e-pump',
    sensorId: '1',
    kind: i % 2 ? 'raised' : 'cleared',
    score: 12.5 + i / 7,
    threshold: 1.4559,
    pValue: 0.0068,
    windowStart: new Date(T0 + i * 1000).toISOString(),
    windowEnd: new Date(T0 + i * 1000 + 640).toISOString(),
    bundleId: 'thrum-20261125T150330-c33f5f73',
    modelVariant: 'int8',
    contributions: [
      { group: 'x/stats', share: 0.33 },
      { group: 'y/stats', share: 0.27 },
      { group: 'x/spectrum', share: 0.21 },
    ],
  },
});

/** Overwrites one leaf page of `entries` (first, a middle one or the last) and returns how many rows it held. */
function damageLeaf(path: string, which: 'first' | 'middle' | 'last'): { page: number; rows: number } {
  const db = new Database(path);
  const leaves = db
    .prepare("SELECT pageno, ncell FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' ORDER BY path")
    .all() as Array<{ pageno: number; ncell: number }>;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const leaf = leaves[which === 'first' ? 0 : which === 'last' ? leaves.length - 1 : leaves.length >> 1]!;
  const bytes = readFileSync(path);
  bytes.fill(0xa5, (leaf.pageno - 1) * pageSize, leaf.pageno * pageSize);
  writeFileSync(path, bytes);
  return { page: leaf.pageno, rows: leaf.ncell };
}

describe('SqliteOutbox: one damaged page among many pending alerts', () => {
  for (const which of ['first', 'middle', 'last'] as const) {
    it(`salvages every readable row and announces exactly the unreadable seqs (${which} leaf)`, () => {
      const path = freshPath();
      const o = new SqliteOutbox(options(path));
      for (let i = 1; i <= 330; i++) o.append(alertLike(i));
      o.close();
      const { rows: lost } = damageLeaf(path, which);
      expect(lost).toBeGreaterThan(0);

      const log = recorder();
      const recovered = new SqliteOutbox(options(path, { log }));
      expect(recovered.status().quarantinedTo).toBeDefined();
      const entries = recovered.pending(1000);
      const got = seqs(entries);
      expect(got).toHaveLength(330 - lost);
      expect(got).toEqual([...got].sort((a, b) => a - b));
      const missing = range(1, 330).filter((s) => !got.includes(s));
      const [record, ...others] = evictions(entries);
      expect(others).toEqual([]);
      expect(record!.body).toEqual({
        fromSeq: missing[0],
        toSeq: missing.at(-1),
        count: lost,
        reason: 'ram',
        at: T0,
      });
      // The record goes out ahead of the alerts after the hole it explains.
      const at = entries.indexOf(record!);
      expect(seqs(entries.slice(0, at)).every((s) => s < missing[0]!)).toBe(true);
      expect(seqs(entries.slice(at)).every((s) => s > missing.at(-1)!)).toBe(true);
      expect(log.events('outbox.salvaged')[0]).toMatchObject({ rows: 330 - lost });
      expect(recovered.append(alertLike(331)).seq).toBe(331);
      recovered.close();
    });
  }
});

describe('SqliteOutbox: the file deleted or replaced while open', () => {
  it('notices an unlinked file at the next commit, recreates it with the rows and counters', () => {
    const path = freshPath();
    const log = recorder();
    const o = new SqliteOutbox(options(path, { log }));
    for (let i = 1; i <= 3; i++) o.append(draft(1, i));
    o.ack(o.pending(1)[0]!.id);
    unlinkSync(path);
    expect(o.append(draft(1, 4)).seq).toBe(4);
    expect(log.events('outbox.recreated')[0]).toMatchObject({ reason: 'deleted', rows: 3 });
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT seq FROM entries ORDER BY ord').all()).toEqual([
      { seq: 2 },
      { seq: 3 },
      { seq: 4 },
    ]);
    expect(reader.prepare('SELECT seq FROM counters WHERE sensor_id = 1').get()).toEqual({ seq: 4 });
    reader.close();
    o.close();
    const again = new SqliteOutbox(options(path));
    expect(seqs(again.pending(10))).toEqual([2, 3, 4]);
    expect(again.append(draft(1, 5)).seq).toBe(5);
    again.close();
  });

  it('notices it on its timer when no alert follows', async () => {
    const path = freshPath();
    const log = recorder();
    const o = new SqliteOutbox(options(path, { log, watchMs: 20 }));
    for (let i = 1; i <= 3; i++) o.append(draft(1, i));
    rmSync(path);
    rmSync(`${path}-wal`);
    rmSync(`${path}-shm`);
    await expect.poll(() => log.events('outbox.recreated').length, { timeout: 2000 }).toBe(1);
    expect(existsSync(path)).toBe(true);
    o.close();
    const again = new SqliteOutbox(options(path));
    expect(seqs(again.pending(10))).toEqual([1, 2, 3]);
    expect(again.append(draft(1, 4)).seq).toBe(4);
    again.close();
  });

  it('moves a replacement file aside instead of mixing its seqs with its own', () => {
    const path = freshPath();
    const log = recorder();
    const o = new SqliteOutbox(options(path, { log }));
    for (let i = 1; i <= 3; i++) o.append(draft(1, i));
    const other = `${path}.other`;
    const stranger = new SqliteOutbox(options(other));
    stranger.append(draft(1, 99));
    stranger.close();
    renameSync(other, path);
    expect(o.append(draft(1, 4)).seq).toBe(4);
    const rec = log.events('outbox.recreated')[0]!;
    expect(rec).toMatchObject({ reason: 'replaced', rows: 4 });
    expect(readdirSync(root)).toContain(String(rec.movedTo).slice(root.length + 1));
    o.close();
    const again = new SqliteOutbox(options(path));
    expect(seqs(again.pending(10))).toEqual([1, 2, 3, 4]);
    again.close();
  });

  it('a file deleted while closed: seq continues above the old counter and the old seqs are announced', () => {
    const path = freshPath();
    const o = new SqliteOutbox(options(path));
    for (let i = 1; i <= 3; i++) o.append(draft(1, i));
    o.close();
    for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true });
    const again = new SqliteOutbox(options(path, { log: recorder() }));
    expect(again.append(draft(1, 4)).seq).toBe(4);
    expect(evictions(again.pending(10)).map((e) => e.body)).toEqual([
      { fromSeq: 1, toSeq: 3, count: 3, reason: 'ram', at: T0 },
    ]);
    again.close();
  });
});
