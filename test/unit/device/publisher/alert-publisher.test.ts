import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';

const newAlertId = () => uuidv7(Date.now());

import { InMemoryOutbox } from '../../../../device/outbox/in-memory-outbox.js';
import type { OutboxEntry } from '../../../../device/outbox/outbox.js';
import { AlertPublisher, type AlertPublisherOptions } from '../../../../device/publisher/alert-publisher.js';
import { FakeBrokerClient, FakeClock, settle } from './fakes.js';

function setup(extra: Partial<AlertPublisherOptions> = {}) {
  const clock = new FakeClock();
  const client = new FakeBrokerClient(clock);
  const outbox = new InMemoryOutbox({ bounds: { maxBytes: 1e9, maxAgeMs: 1e12 }, newId: newAlertId });
  const publisher = new AlertPublisher({
    outbox,
    client,
    clock,
    topicFor: (e: OutboxEntry) => `thrum/dev/${e.sensorId}/${e.kind === 'alert' ? 'alert' : 'evicted'}`,
    payloadFor: (e: OutboxEntry, historical: boolean) =>
      JSON.stringify({ ...e.body, id: e.id, ...(e.kind === 'alert' ? { seq: e.seq } : {}), historical }),
    replayRatePerSec: 1000,
    historicalAfterMs: 5000,
    ...extra,
  });
  const append = (sensorId = 1, n = 0) => {
    const r = outbox.append({ sensorId, createdAt: clock.now(), body: { kind: 'raised', n } });
    publisher.notify();
    return r;
  };
  return { clock, client, outbox, publisher, append };
}

const seqsOf = (sent: Array<{ payload: Record<string, unknown> }>) => sent.map((m) => m.payload.seq);

describe('AlertPublisher', () => {
  it('publishes a new alert at QoS 1 and deletes it from the outbox on a successful PUBACK', async () => {
    const { client, outbox, publisher, append } = setup();
    client.connect();
    publisher.start();
    const { alertId } = append(3, 1);
    await settle();
    expect(client.sent).toHaveLength(1);
    expect(client.sent[0]).toMatchObject({ topic: 'thrum/dev/3/alert', options: { qos: 1 } });
    expect(client.sent[0]!.payload).toMatchObject({ id: alertId, seq: 1, historical: false, n: 1 });
    expect(outbox.depth()).toBe(0);
    expect(publisher.counters).toMatchObject({ sent: 1, acked: 1, rejected: 0 });
  });

  it('replays everything appended while offline, in seq order, on connect; old ones are historical', async () => {
    const { clock, client, outbox, publisher, append } = setup();
    publisher.start();
    for (let i = 1; i <= 5; i++) append(1, i);
    await clock.advance(3000);
    for (let i = 6; i <= 7; i++) append(1, i);
    await settle();
    expect(client.sent).toHaveLength(0);
    await clock.advance(3000);
    client.connect();
    await settle();
    expect(seqsOf(client.sent)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // 6 s old at publish time vs 3 s old: only the first five cross historicalAfterMs.
    expect(client.sent.map((m) => m.payload.historical)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(outbox.depth()).toBe(0);
    expect(publisher.counters.historical).toBe(5);
  });

  it('keeps unacknowledged alerts when the connection drops mid-flight and replays them in order after', async () => {
    const { client, outbox, publisher, append } = setup({ maxInFlight: 4 });
    client.responder = () => 'hold';
    client.connect();
    publisher.start();
    for (let i = 1; i <= 10; i++) append(2, i);
    await settle();
    expect(client.heldCount).toBe(4);
    client.release(0, 2);
    await settle();
    expect(outbox.depth()).toBe(8);
    client.disconnect();
    await settle();
    expect(outbox.depth()).toBe(8);
    expect(publisher.counters.interrupted).toBeGreaterThan(0);
    const before = client.sent.length;
    client.responder = () => 0;
    client.connect();
    await settle();
    expect(seqsOf(client.sent.slice(before))).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(outbox.depth()).toBe(0);
  });

  it('rate-limits a replay to replayRatePerSec after a one-second burst', async () => {
    const { clock, client, publisher, append } = setup({ replayRatePerSec: 10 });
    publisher.start();
    for (let i = 1; i <= 30; i++) append(1, i);
    client.connect();
    await clock.runAll();
    expect(seqsOf(client.sent)).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    const t0 = client.sent[0]!.at;
    const offsets = client.sent.map((m) => m.at - t0);
    expect(offsets.slice(0, 10).every((o) => o === 0)).toBe(true);
    for (let k = 10; k < 30; k++) expect(offsets[k]! - offsets[k - 1]!).toBeGreaterThanOrEqual(100);
    expect(offsets[29]).toBeGreaterThanOrEqual(2000);
  });

  it('keeps the row when an MQTT 5 PUBACK carries a failure reason code, pauses, then retries in order', async () => {
    const warned: object[] = [];
    const log = { debug() {}, info() {}, warn: (o: object) => warned.push(o), error() {} };
    const { clock, client, outbox, publisher, append } = setup({ maxInFlight: 1, rejectRetryMs: 1000, log });
    let rejectNext = 1;
    client.responder = () => (rejectNext-- > 0 ? 0x87 : 0);
    client.connect();
    publisher.start();
    append(1, 1);
    append(1, 2);
    await settle();
    expect(client.sent).toHaveLength(1);
    expect(outbox.depth()).toBe(2);
    expect(publisher.counters).toMatchObject({ rejected: 1, acked: 0, lastReasonCode: 0x87 });
    expect(warned).toEqual([expect.objectContaining({ event: 'publish.rejected', reasonCode: '0x87' })]);
    // Nothing goes out during the pause, even when a new alert arrives.
    append(1, 3);
    await clock.advance(500);
    expect(client.sent).toHaveLength(1);
    await clock.advance(1000);
    expect(seqsOf(client.sent)).toEqual([1, 1, 2, 3]);
    expect(outbox.depth()).toBe(0);
  });

  it('treats reason codes below 0x80 (e.g. 0x10 no matching subscribers) as success', async () => {
    const { client, outbox, publisher, append } = setup();
    client.responder = () => 0x10;
    client.connect();
    publisher.start();
    append(1, 1);
    await settle();
    expect(outbox.depth()).toBe(0);
    expect(publisher.counters.rejected).toBe(0);
  });

  it('publishes eviction records like alerts, ahead of the surviving alerts', async () => {
    const { clock, client, outbox, publisher } = setup();
    outbox.append({ sensorId: 4, createdAt: clock.now() - 2e12, body: { n: 1 } });
    outbox.append({ sensorId: 4, createdAt: clock.now(), body: { n: 2 } });
    expect(outbox.evict(clock.now())).toHaveLength(1);
    client.connect();
    publisher.start();
    await settle();
    expect(client.sent.map((m) => m.topic)).toEqual(['thrum/dev/4/evicted', 'thrum/dev/4/alert']);
    expect(client.sent[0]!.payload).toMatchObject({ fromSeq: 1, toSeq: 1, count: 1, reason: 'age' });
    expect(client.sent[1]!.payload).toMatchObject({ seq: 2, n: 2 });
    expect(outbox.depth()).toBe(0);
  });

  it('stop() waits for in-flight publishes up to the deadline, then gives up without losing them', async () => {
    const { clock, client, outbox, publisher, append } = setup();
    client.responder = () => 'hold';
    client.connect();
    publisher.start();
    append(1, 1);
    await settle();
    const stopped = publisher.stop(2000);
    let done = false;
    void stopped.then(() => (done = true));
    await clock.advance(1000);
    expect(done).toBe(false);
    await clock.advance(1500);
    expect(done).toBe(true);
    expect(outbox.depth()).toBe(1);
    append(1, 2);
    await settle();
    expect(client.sent).toHaveLength(1);
  });
});
