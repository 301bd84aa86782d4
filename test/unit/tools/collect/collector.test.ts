import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Alert, Evicted } from '../../../../shared/mqtt/contract.js';
import { AlertStore } from '../../../../tools/collect/alert-store.js';
import { Collector } from '../../../../tools/collect/collector.js';
import { collectFilters, defaultClientId } from '../../../../tools/collect/start-collect.js';

const alert = (seq: number, over: Partial<Alert> = {}): Alert => ({
  alertId: `019ab5c2-3f00-7000-8000-${String(seq).padStart(12, '0')}`,
  deviceId: 'press-7',
  sensorId: 'adxl',
  seq,
  kind: 'raised',
  score: 0.05,
  threshold: 0.03,
  pValue: 0.001,
  windowStart: '2025-11-25T14:03:06.485Z',
  windowEnd: '2025-11-25T14:03:07.125Z',
  bundleId: 'b1',
  modelVariant: 'int8',
  contributions: [],
  historical: false,
  ...over,
});
const evicted: Evicted = {
  kind: 'evicted',
  evictionId: '019ab5c2-3f00-7000-8000-000000000099',
  deviceId: 'press-7',
  sensorId: 'adxl',
  fromSeq: 3,
  toSeq: 5,
  count: 3,
  reason: 'size',
  at: '2025-11-25T14:04:00.000Z',
};

let dir: string;
let store: AlertStore;
let collector: Collector;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'thrum-collect-'));
  store = new AlertStore(join(dir, 'a.db'));
  collector = new Collector(store, 'thrum', () => Date.parse('2026-01-01T00:00:00Z'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('stores an alert once by alertId and prints a line only the first time', () => {
  const topic = 'thrum/press-7/adxl/alert';
  expect(collector.handle(topic, JSON.stringify(alert(1)))).toEqual([
    {
      stream: 'out',
      line: '2025-11-25T14:03:07.125Z  press-7/adxl  RAISED #1  score 0.05  019ab5c2-3f00-7000-8000-000000000001',
    },
  ]);
  expect(collector.handle(topic, JSON.stringify(alert(1, { historical: true })))).toEqual([]);
  expect(collector.handle(topic, JSON.stringify(alert(2, { historical: true })))[0]?.line).toMatch(
    /#2 .*\(replayed\)/,
  );
  expect(collector.handle('thrum/press-7/adxl/evicted', JSON.stringify(evicted))[0]?.line).toMatch(
    /EVICTED #3\.\.5 \(3, size\)/,
  );
  expect(collector.counters).toEqual({ stored: 2, duplicates: 1, evicted: 1, malformed: 0 });
  const db = new Database(join(dir, 'a.db'), { readonly: true });
  expect(db.prepare('SELECT seq, historical, received_at FROM alerts ORDER BY seq').all()).toEqual([
    { seq: 1, historical: 0, received_at: '2026-01-01T00:00:00.000Z' },
    { seq: 2, historical: 1, received_at: '2026-01-01T00:00:00.000Z' },
  ]);
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  db.close();
});

it('warns about malformed payloads and foreign topics without storing them', () => {
  expect(collector.handle('thrum/press-7/adxl/alert', '{"alertId": 42')[0]).toMatchObject({
    stream: 'err',
    event: 'collect.malformed-message',
  });
  expect(collector.handle('thrum/press-7/status', '{}')[0]).toMatchObject({
    event: 'collect.malformed-message',
  });
  expect(collector.handle('other/x', '{}')[0]).toMatchObject({ event: 'collect.foreign-topic' });
  expect(collector.counters.stored).toBe(0);
});

it('a store error is thrown, so the message is not acked', () => {
  store.close();
  expect(() => collector.handle('thrum/press-7/adxl/alert', JSON.stringify(alert(1)))).toThrow();
  store = new AlertStore(join(dir, 'a.db')); // for afterEach
});

it('subscribes to alert and evicted, shared with --share; the default client id is stable per db', () => {
  expect(collectFilters({ prefix: 'thrum' })).toEqual(['thrum/+/+/alert', 'thrum/+/+/evicted']);
  expect(collectFilters({ prefix: 'plant/thrum', share: 'fleet' })).toEqual([
    '$share/fleet/plant/thrum/+/+/alert',
    '$share/fleet/plant/thrum/+/+/evicted',
  ]);
  expect(() => collectFilters({ prefix: 'thrum', share: 'a/b' })).toThrow(/--share/);
  expect(defaultClientId('a.db', 'fleet')).toBe(defaultClientId('./a.db', 'fleet'));
  expect(defaultClientId('a.db', 'fleet')).not.toBe(defaultClientId('b.db', 'fleet'));
});
