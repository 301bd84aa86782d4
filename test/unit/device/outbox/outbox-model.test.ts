import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../../../../device/adapters/sqlite-outbox.js';
import { createInMemoryStore, InMemoryOutbox } from '../../../../device/outbox/in-memory-outbox.js';
import type { Outbox, OutboxBounds, OutboxEntry } from '../../../../device/outbox/outbox.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';

// Random sequences of appends, acks, evictions and reopens: SqliteOutbox must answer exactly like the
// in-memory model (ids aside, which are random in both).

const root = mkdtempSync(join(tmpdir(), 'thrum-outbox-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;
const bounds: OutboxBounds = { maxBytes: 2000, maxAgeMs: 10 * HOUR };
const newId = () => uuidv7(Date.now());

type Command =
  | { op: 'append'; sensorId: number; hour: number; pad: number }
  | { op: 'ack'; index: number }
  | { op: 'evict'; hour: number }
  | { op: 'reopen' };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('append' as const),
      sensorId: fc.integer({ min: 1, max: 3 }),
      hour: fc.integer({ min: 0, max: 30 }),
      pad: fc.integer({ min: 0, max: 300 }),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ op: fc.constant('ack' as const), index: fc.nat(20) }), weight: 2 },
  {
    arbitrary: fc.record({ op: fc.constant('evict' as const), hour: fc.integer({ min: 0, max: 40 }) }),
    weight: 2,
  },
  { arbitrary: fc.constant({ op: 'reopen' as const }), weight: 1 },
);

/** What a consumer can observe of an entry, without its random id. */
const view = (e: OutboxEntry) =>
  e.kind === 'alert' ? { ...e, id: undefined } : { ...e, id: undefined, body: { ...e.body } };

describe('SqliteOutbox behaves like the in-memory model', () => {
  it('on random command sequences', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        const path = join(root, `m${++run}.db`);
        const store = createInMemoryStore();
        const openModel = () => new InMemoryOutbox({ bounds, newId, store });
        const openReal = () => new SqliteOutbox({ path, bounds, newId, ramBufferMax: 100 });
        let model: Outbox = openModel();
        let real: Outbox = openReal();
        try {
          for (const c of commands) {
            if (c.op === 'append') {
              const draft = {
                sensorId: c.sensorId,
                createdAt: T0 + c.hour * HOUR,
                body: { pad: 'x'.repeat(c.pad) },
              };
              expect(real.append(draft).seq).toBe(model.append(draft).seq);
            } else if (c.op === 'ack') {
              const m = model.pending(100)[c.index];
              const r = real.pending(100)[c.index];
              expect(r === undefined).toBe(m === undefined);
              if (m && r) expect(real.ack(r.id)).toBe(model.ack(m.id));
            } else if (c.op === 'evict') {
              const now = T0 + c.hour * HOUR;
              expect(real.evict(now).map(view)).toEqual(model.evict(now).map(view));
            } else {
              model.close();
              real.close();
              model = openModel();
              real = openReal();
            }
            expect(real.pending(100).map(view)).toEqual(model.pending(100).map(view));
            expect(real.depth()).toBe(model.depth());
            expect(real.status().bytes).toBe(model.status().bytes);
          }
        } finally {
          model.close();
          real.close();
          rmSync(path, { force: true });
          rmSync(`${path}-wal`, { force: true });
          rmSync(`${path}-shm`, { force: true });
        }
      }),
      { numRuns: 25 },
    );
  });
});
