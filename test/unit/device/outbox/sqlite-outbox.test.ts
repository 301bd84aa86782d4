import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteOutbox, type SqliteOutboxOptions } from '../../../../device/adapters/sqlite-outbox.js';
import { configureOutboxDb } from '../../../../device/adapters/sqlite-outbox-schema.js';
import type { Log } from '../../../../shared/log.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';

const newAlertId = () => uuidv7(Date.now());

import type { PendingAlert } from '../../../../device/outbox/outbox.js';
import { draft, outboxContract, T0 } from './outbox-contract.js';

const root = mkdtempSync(join(tmpdir(), 'thrum-outbox-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `o${++n}.db`);

function recorder(): Log & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (_o, m) => errors.push(m ?? '') };
}

function options(path: string, extra: Partial<SqliteOutboxOptions> = {}): SqliteOutboxOptions {
  return {
    path,
    bounds: { maxBytes: 10_000_000, maxAgeMs: 30 * 86_400_000 },
    newId: newAlertId,
    ramBufferMax: 100,
    now: () => T0,
    ...extra,
  };
}

outboxContract('SqliteOutbox', () => {
  const path = freshPath();
  return {
    open: (bounds) => new SqliteOutbox(options(path, { bounds: { ...options(path).bounds, ...bounds } })),
  };
});

const seqs = (entries: Array<{ kind: string }>) =>
  entries.filter((e): e is PendingAlert => e.kind === 'alert').map((e) => e.seq);

describe('SqliteOutbox: the file', () => {
  it('is a WAL database with synchronous=FULL', () => {
    const path = freshPath();
    new SqliteOutbox(options(path)).close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    configureOutboxDb(db);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('commits an alert before append returns: another connection sees it at once', () => {
    const path = freshPath();
    const o = new SqliteOutbox(options(path));
    const { alertId } = o.append(draft(1, 1));
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT id, seq FROM entries').all()).toEqual([{ id: alertId, seq: 1 }]);
    expect(reader.prepare('SELECT seq FROM counters WHERE sensor_id = 1').get()).toEqual({ seq: 1 });
    reader.close();
    o.close();
  });
});

describe('SqliteOutbox: a corrupt file', () => {
  it('moves a non-database file aside with a timestamp suffix, logs, flags health and starts fresh', () => {
    const path = freshPath();
    writeFileSync(path, 'this is not a database '.repeat(100));
    const log = recorder();
    const o = new SqliteOutbox(options(path, { log }));
    const quarantined = o.status().quarantinedTo!;
    expect(quarantined).toBe(`${path}.corrupt-2025-01-01T00-00-00-000Z`);
    expect(readFileSync(quarantined, 'utf8')).toContain('this is not a database');
    expect(log.errors.join()).toMatch(/corrupt/);
    expect(o.append(draft(1, 1)).seq).toBe(1);
    o.close();
    // No crash loop: the next start opens the fresh file without quarantining again.
    const again = new SqliteOutbox(options(path, { log: recorder() }));
    expect(again.status().quarantinedTo).toBeUndefined();
    expect(seqs(again.pending(10))).toEqual([1]);
    again.close();
  });

  it('salvages seq counters and readable alerts from a damaged file, so seq keeps rising', () => {
    const path = freshPath();
    const o = new SqliteOutbox(options(path));
    for (let i = 1; i <= 5; i++) o.append(draft(4, i));
    o.close();
    // Damage the page with the entries-by-age index only: quick_check fails, tables stay readable.
    const db = new Database(path);
    const page = (
      db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'entries_by_age'").get() as {
        rootpage: number;
      }
    ).rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, (page - 1) * pageSize + 8, page * pageSize);
    writeFileSync(path, bytes);

    const log = recorder();
    const recovered = new SqliteOutbox(options(path, { log }));
    expect(recovered.status().quarantinedTo).toBeDefined();
    expect(seqs(recovered.pending(10))).toEqual([1, 2, 3, 4, 5]);
    expect(recovered.append(draft(4, 6)).seq).toBe(6);
    recovered.close();
  });

  it('a truncated file is quarantined too', () => {
    const path = freshPath();
    const o = new SqliteOutbox(options(path));
    for (let i = 1; i <= 50; i++) o.append(draft(1, i));
    o.close();
    writeFileSync(path, readFileSync(path).subarray(0, 1500));
    const recovered = new SqliteOutbox(options(path, { log: recorder() }));
    expect(recovered.status().quarantinedTo).toBeDefined();
    expect(readdirSync(root).some((f) => f.startsWith(`o${n}.db.corrupt-`))).toBe(true);
    expect(() => recovered.append(draft(1, 51))).not.toThrow();
    recovered.close();
  });
  it('a file cut short after the counters page still continues seq (SQLite refuses it whole; salvage pads it)', () => {
    const path = freshPath();
    const o = new SqliteOutbox(options(path));
    for (let i = 1; i <= 4; i++)
      o.append({ sensorId: 1, createdAt: T0 + i, body: { i, pad: 'x'.repeat(3000) } });
    o.close();
    const db = new Database(path);
    const countersPage = (
      db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'counters'").get() as { rootpage: number }
    ).rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(path);
    const cut = countersPage * pageSize;
    expect(cut).toBeLessThan(bytes.length);
    writeFileSync(path, bytes.subarray(0, cut));
    const recovered = new SqliteOutbox(options(path, { log: recorder() }));
    expect(recovered.status().quarantinedTo).toBeDefined();
    expect(recovered.append(draft(1, 5)).seq).toBe(5);
    recovered.close();
  });
});

describe('SqliteOutbox: a full disk (max_page_count)', () => {
  const big = (i: number) => ({ sensorId: 1, createdAt: T0 + i, body: { i, pad: 'x'.repeat(3000) } });

  function fillUntilFull(o: SqliteOutbox): number {
    let i = 0;
    while (!o.status().diskFull) {
      o.append(big(++i));
      if (i > 500) throw new Error('never filled');
    }
    return i;
  }

  it('holds alerts in RAM with contiguous seqs, reports it, and writes them once space returns', () => {
    const path = freshPath();
    const log = recorder();
    const o = new SqliteOutbox(options(path, { maxPageCount: 24, log }));
    const firstRam = fillUntilFull(o);
    expect(o.status().ramBuffered).toBe(1);
    expect(log.errors.join()).toMatch(/disk full/);
    o.append(big(firstRam + 1));
    expect(o.status()).toMatchObject({ diskFull: true, ramBuffered: 2 });
    expect(seqs(o.pending(1000))).toEqual(Array.from({ length: firstRam + 1 }, (_, k) => k + 1));

    // Acking frees pages; the buffered alerts go to disk in order.
    for (const e of o.pending(4)) o.ack(e.id);
    expect(o.status()).toMatchObject({ diskFull: false, ramBuffered: 0 });
    o.close();
    const reopened = new SqliteOutbox(options(path));
    expect(seqs(reopened.pending(1000))).toEqual(Array.from({ length: firstRam - 3 }, (_, k) => k + 5));
    expect(reopened.append(big(999)).seq).toBe(firstRam + 2);
    reopened.close();
  });

  it('bounds the RAM buffer: the oldest buffered alerts are dropped and recorded as a ram eviction', () => {
    const path = freshPath();
    const o = new SqliteOutbox(options(path, { maxPageCount: 24, ramBufferMax: 3, log: recorder() }));
    const firstRam = fillUntilFull(o);
    for (let k = 1; k <= 4; k++) o.append(big(firstRam + k));
    const ram = o.pending(1000).slice(firstRam - 1);
    expect(ram[0]).toMatchObject({
      kind: 'eviction',
      body: { fromSeq: firstRam, toSeq: firstRam + 1, count: 2, reason: 'ram' },
    });
    expect(seqs(ram)).toEqual([firstRam + 2, firstRam + 3, firstRam + 4]);
    expect(o.status()).toMatchObject({ ramBuffered: 3, evicted: 2 });
    o.close();
  });

  it('age eviction frees room for buffered alerts', () => {
    const path = freshPath();
    // The size bound is kept at every commit, so only the age bound can free a full disk here.
    const o = new SqliteOutbox(
      options(path, { maxPageCount: 24, log: recorder(), bounds: { maxBytes: 1e9, maxAgeMs: 5 } }),
    );
    const i = fillUntilFull(o);
    expect(o.status().ramBuffered).toBe(1);
    const records = o.evict(T0 + i);
    expect(records).toHaveLength(1);
    // Alerts created before T0 + i - 5 (seq 1 .. i - 6) are too old.
    expect(records[0].body).toMatchObject({ reason: 'age', fromSeq: 1, toSeq: i - 6, count: i - 6 });
    expect(o.status()).toMatchObject({ diskFull: false, ramBuffered: 0 });
    const entries = o.pending(100);
    expect(entries[0]).toMatchObject({ kind: 'eviction', body: { reason: 'age', fromSeq: 1 } });
    expect(seqs(entries)).toEqual([i - 5, i - 4, i - 3, i - 2, i - 1, i]);
    o.close();
  });
});
