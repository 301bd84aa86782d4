import { describe, expect, it } from 'vitest';
import { settle } from '../../../helpers/fake-clock.js';
import { DEVICE_ID, drive, fakeDaemon, HIGH, LOW, SENSOR_ID, THRESHOLD } from './fake-daemon.js';

// A whole daemon from fakes, driven on virtual time: bytes in, alerts through the outbox to the (fake)
// broker, telemetry on the clock's intervals, and the shutdown sequence.

const ALERT_TOPIC = `thrum/${DEVICE_ID}/${SENSOR_ID}/alert`;
const STATUS_TOPIC = `thrum/${DEVICE_ID}/status`;

describe('a daemon built from fakes', () => {
  it('logs model.ready with the bundle and the variant when it is built', () => {
    const d = fakeDaemon();
    expect(d.log.events('model.ready')).toEqual([
      expect.objectContaining({
        level: 'info',
        fields: expect.objectContaining({ bundleId: 'b-test', variant: 'int8', threshold: THRESHOLD }),
      }),
    ]);
  });

  it('commits a raised alert to the outbox before publishing it, and deletes it only on the PUBACK', async () => {
    const d = fakeDaemon();
    d.client.responder = (m) => (m.topic.endsWith('/alert') ? 'hold' : 0);
    d.daemon.start();
    expect(d.client.started).toBe(1);

    await d.windows(3, LOW);
    expect(d.timeline).toEqual([]);
    expect(d.outbox.depth()).toBe(0);

    await d.windows(1, HIGH);
    expect(d.timeline).toEqual(['append raised #1', 'publish raised #1']);
    const [stored] = d.outbox.pending(10);
    const [published] = d.client.sent.filter((m) => m.topic === ALERT_TOPIC);
    expect(published).toMatchObject({ options: { qos: 1 } });
    expect(published!.payload).toMatchObject({
      alertId: stored!.id,
      kind: 'raised',
      seq: 1,
      deviceId: DEVICE_ID,
      sensorId: String(SENSOR_ID),
      historical: false,
      threshold: THRESHOLD,
      bundleId: 'b-test',
      modelVariant: 'int8',
    });
    expect(published!.payload.score).toBeCloseTo(HIGH * HIGH, 4);
    expect(d.log.events('alert.committed')).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ alertId: stored!.id, seq: 1, kind: 'raised' }),
      }),
    ]);

    // Published, not yet acknowledged: it is still the outbox's.
    await d.clock.advance(500);
    expect(d.outbox.depth()).toBe(1);
    expect(d.acked).toEqual([]);

    d.client.release(0);
    await settle();
    expect(d.outbox.depth()).toBe(0);
    expect(d.timeline.at(-1)).toBe('ack raised #1');
    expect(d.acked.map((a) => a.entry.id)).toEqual([stored!.id]);
  });

  it('keeps an alert whose PUBACK is a rejection and publishes it again after the pause', async () => {
    const d = fakeDaemon();
    let reject = true;
    d.client.responder = (m) => (m.topic.endsWith('/alert') && reject ? 0x87 : 0);
    d.daemon.start();
    await d.windows(1, HIGH);
    expect(d.alerts()).toHaveLength(1);
    expect(d.outbox.depth()).toBe(1);

    reject = false;
    await d.clock.advance(3000);
    expect(d.alerts()).toHaveLength(1);
    await d.clock.advance(3000);
    expect(d.alerts().map((a) => a.seq)).toEqual([1, 1]);
    expect(d.outbox.depth()).toBe(0);
  });

  for (const format of ['csv', 'frames'] as const) {
    it(`raises on a fault and clears when the machine is healthy again, in order (${format})`, async () => {
      const d = fakeDaemon({ format });
      d.daemon.start();
      await d.windows(4, LOW);
      await d.windows(3, HIGH);
      await d.windows(4, LOW);

      expect(d.alerts().map((a) => [a.kind, a.seq, a.historical])).toEqual([
        ['raised', 1, false],
        ['cleared', 2, false],
      ]);
      expect(d.timeline).toEqual([
        'append raised #1',
        'publish raised #1',
        'ack raised #1',
        'append cleared #2',
        'publish cleared #2',
        'ack cleared #2',
      ]);
      expect(d.outbox.depth()).toBe(0);
      expect(d.daemon.sink.counters).toMatchObject({ raised: 1, cleared: 1, appendFailures: 0 });
    });
  }

  it('waits up to inference.maxDelayMs of clock time for a batch to fill', async () => {
    const d = fakeDaemon({ config: { inference: { maxBatch: 64, maxDelayMs: 500 } } });
    d.daemon.start();
    await d.windows(2, HIGH);
    await d.clock.advance(499);
    expect(d.engine.runs).toBe(0);
    await d.clock.advance(1);
    expect(d.engine.runs).toBe(1);
    expect(d.alerts().map((a) => a.kind)).toEqual(['raised']);
  });

  it('reports the variant auto chose and why in health inference', async () => {
    const d = fakeDaemon({
      config: { health: { intervalMs: 1000 } },
      variant: { variant: 'fp32', variantReason: 'int8 parity 0.8200 < 0.99' },
    });
    d.daemon.start();
    await d.windows(1, LOW);
    await d.clock.advance(1000);
    const health = d.sent(`${DEVICE_ID}/health`);
    expect(health).toHaveLength(1);
    expect(health[0]!.payload).toMatchObject({
      sections: { inference: { scored: 1, variant: 'fp32', variantReason: 'int8 parity 0.8200 < 0.99' } },
    });
  });

  it('holds alerts while the broker is down and publishes them as historical after it connects', async () => {
    const d = fakeDaemon({ connectOnStart: false });
    d.daemon.start();
    await d.windows(2, LOW);
    await d.windows(1, HIGH);

    expect(d.log.events('alert.committed')).toHaveLength(1);
    expect(d.outbox.depth()).toBe(1);
    expect(d.client.sent).toEqual([]);

    // Older than mqtt.historicalAfterMs (1000) by the time the broker is back.
    await d.clock.advance(2000);
    d.client.connect();
    await settle();
    expect(d.alerts().map((a) => [a.kind, a.seq, a.historical])).toEqual([['raised', 1, true]]);
    expect(d.outbox.depth()).toBe(0);
    expect(d.sent('/status').map((m) => [m.payload.state, m.options.retain])).toEqual([['online', true]]);

    // A new alert once connected is live again.
    await d.windows(1, LOW);
    expect(d.alerts().map((a) => [a.kind, a.seq, a.historical])).toEqual([
      ['raised', 1, true],
      ['cleared', 2, false],
    ]);
  });

  it('sends score summaries and health reports on the clock’s intervals', async () => {
    const d = fakeDaemon();
    d.daemon.start();
    await d.windows(5, LOW);

    await d.clock.advance(999);
    expect(d.sent('/score')).toEqual([]);
    await d.clock.advance(1);
    const scores = d.sent(`/${SENSOR_ID}/score`);
    expect(scores).toHaveLength(1);
    expect(scores[0]!.options).toEqual({ qos: 0 });
    expect(scores[0]!.payload).toMatchObject({ count: 5 });
    expect(scores[0]!.payload.max).toBeCloseTo(LOW * LOW, 4);
    expect(scores[0]!.payload.mean).toBeCloseTo(LOW * LOW, 4);

    // Nothing new scored: no empty summary.
    await d.clock.advance(3000);
    expect(d.sent('/score')).toHaveLength(1);
    expect(d.sent('/health')).toEqual([]);

    await d.clock.advance(1000);
    const health = d.sent(`${DEVICE_ID}/health`);
    expect(health).toHaveLength(1);
    expect(health[0]!.payload).toMatchObject({
      deviceId: DEVICE_ID,
      flags: [],
      sections: {
        serial: { state: 'open', name: d.source.name },
        windows: { windows: 5 },
        inference: { scored: 5, variant: 'int8', variantReason: 'configured' },
        mqtt: { connected: true, protocolVersion: 5, scoreSummaries: 1 },
        alerts: { raised: 0 },
      },
    });

    // QoS 0 telemetry is not kept while the broker is away: counted as dropped, flagged once it is back.
    d.client.disconnect();
    await d.clock.advance(5000);
    expect(d.sent('/health')).toHaveLength(1);
    d.client.connect();
    await d.clock.advance(5000);
    const later = d.sent('/health');
    expect(later).toHaveLength(2);
    expect(later[1]!.payload).toMatchObject({ sections: { mqtt: { dropped: 1, healthReports: 1 } } });
  });

  it('stop() scores the windows still waiting for their batch, publishes their alert, then the retained offline', async () => {
    const d = fakeDaemon({ config: { inference: { maxBatch: 64, maxDelayMs: 500 } } });
    d.daemon.start();
    const t0 = d.clock.now();
    await d.windows(2, HIGH);
    // Waiting for the batch to fill or for maxDelayMs: nothing scored yet.
    expect(d.engine.runs).toBe(0);
    expect(d.outbox.depth()).toBe(0);

    await drive(d.clock, d.daemon.stop('SIGTERM'));
    expect(d.timeline).toEqual(['append raised #1', 'publish raised #1', 'ack raised #1']);
    // Flushed by the stop, not by the batch timer.
    expect(d.alerts()[0]).toBeDefined();
    expect(d.client.sent.find((m) => m.topic === ALERT_TOPIC)!.at).toBeLessThan(t0 + 500);
    const last = d.client.sent.at(-1)!;
    expect(last).toMatchObject({ topic: STATUS_TOPIC, options: { qos: 1, retain: true } });
    expect(last.payload).toMatchObject({ state: 'offline', deviceId: DEVICE_ID, session: 'session-1' });
    expect(d.client.ended).toBe(true);
    expect(d.outbox.wasClosed).toBe(true);
    expect(d.engine.closed).toBe(true);
    expect(d.source.subscribers).toBe(0);
    expect(d.log.records.filter((r) => r.event?.startsWith('daemon.')).map((r) => r.event)).toEqual([
      'daemon.stopping',
      'daemon.stopped',
    ]);
    expect(d.log.events('daemon.stopped')[0]!.fields).toMatchObject({
      reason: 'SIGTERM',
      pendingInOutbox: 0,
    });

    // Stopped means stopped: no telemetry, no timers left behind.
    const count = d.client.sent.length;
    await d.clock.advance(60_000);
    expect(d.client.sent).toHaveLength(count);
    expect(d.clock.pendingTimers).toBe(0);
  });

  it('stop() with the broker down keeps the alert in the outbox and says so', async () => {
    const d = fakeDaemon({ connectOnStart: false });
    d.daemon.start();
    await d.windows(1, HIGH);
    await drive(d.clock, d.daemon.stop('SIGINT'));
    expect(d.client.sent).toEqual([]);
    expect(d.log.events('daemon.stopped')[0]!.fields).toMatchObject({ pendingInOutbox: 1 });
  });

  it('ends with pipeline-error when scoring fails, logging pipeline.failed', async () => {
    const d = fakeDaemon();
    d.daemon.start();
    let ended: unknown;
    void d.daemon.ended.then((e) => (ended = e));
    await d.windows(2, LOW);
    expect(ended).toBeUndefined();

    d.control.fail = new Error('inference session lost');
    await d.windows(1, HIGH);
    expect(ended).toEqual({ reason: 'pipeline-error', error: d.control.fail });
    expect(d.log.events('pipeline.failed')).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ err: 'inference session lost' }),
      }),
    ]);
    await drive(d.clock, d.daemon.stop('pipeline-error'));
    expect(d.log.events('daemon.stopped')).toHaveLength(1);
  });

  it('ends with input-ended when the source completes', async () => {
    const d = fakeDaemon();
    d.daemon.start();
    await d.windows(1, LOW);
    d.source.end();
    await settle();
    await expect(d.daemon.ended).resolves.toEqual({ reason: 'input-ended' });
  });

  it('logs malformed input once per period with input.malformed, and counts every bad line', async () => {
    const d = fakeDaemon();
    d.daemon.start();
    // After the first data line (non-numeric lines before it may be a header).
    await d.windows(1, LOW);
    for (let i = 0; i < 3; i++) d.source.write(new TextEncoder().encode('not,a,number\n'));
    await settle();
    expect(d.log.events('input.malformed')).toHaveLength(1);
    expect(d.log.events('input.malformed')[0]!.fields).toMatchObject({ skippedSinceLast: 1 });
    await d.clock.advance(10_000);
    d.source.write(new TextEncoder().encode('x,y\n'));
    await settle();
    expect(d.log.events('input.malformed').map((r) => r.fields.skippedSinceLast)).toEqual([1, 3]);
    await d.clock.advance(5000);
    expect(d.sent('/health').at(-1)!.payload).toMatchObject({ sections: { frames: { bad: 4 } } });
  });
});
