import { describe, expect, it } from 'vitest';
import { StatusPublisher } from '../../../../device/publisher/status-publisher.js';
import { statusSchema } from '../../../../shared/mqtt/status.js';
import { FakeBrokerClient, FakeClock, settle } from './fakes.js';

const base = { deviceId: 'pump-7', bundleId: 'b1', startedAt: '2025-06-01T12:00:00.000Z', session: 's-1' };

describe('StatusPublisher', () => {
  it('publishes a retained online status at QoS 1 on every connect', async () => {
    const client = new FakeBrokerClient(new FakeClock());
    new StatusPublisher(client, 'thrum/pump-7/status', base).start();
    client.connect();
    client.disconnect();
    client.connect();
    await settle();
    expect(client.sent).toHaveLength(2);
    for (const m of client.sent) {
      expect(m).toMatchObject({ topic: 'thrum/pump-7/status', options: { qos: 1, retain: true } });
      expect(statusSchema.parse(m.payload)).toEqual({ state: 'online', ...base });
    }
  });

  it('publishes offline on a clean stop, and the Last Will carries the same offline payload', async () => {
    const client = new FakeBrokerClient(new FakeClock());
    const status = new StatusPublisher(client, 'thrum/pump-7/status', base);
    status.start();
    client.connect();
    await status.offline();
    expect(client.sent.map((m) => m.payload.state)).toEqual(['online', 'offline']);
    const will = StatusPublisher.will('thrum/pump-7/status', base);
    expect(will).toMatchObject({ topic: 'thrum/pump-7/status', qos: 1, retain: true });
    expect(statusSchema.parse(JSON.parse(will.payload))).toEqual({ state: 'offline', ...base });
  });

  it('logs status.offline.failed when the offline publish fails (the Last Will covers it)', async () => {
    const warned: object[] = [];
    const log = { debug() {}, info() {}, warn: (o: object) => warned.push(o), error() {} };
    const client = new FakeBrokerClient(new FakeClock());
    const status = new StatusPublisher(client, 'thrum/pump-7/status', base, log);
    client.connect();
    client.publish = () => Promise.reject(new Error('connection lost'));
    await status.offline();
    expect(warned).toEqual([
      expect.objectContaining({ event: 'status.offline.failed', topic: 'thrum/pump-7/status' }),
    ]);
  });

  it('does not try to publish offline without a connection', async () => {
    const client = new FakeBrokerClient(new FakeClock());
    const status = new StatusPublisher(client, 't', base);
    status.start();
    await status.offline();
    expect(client.sent).toEqual([]);
  });
});
