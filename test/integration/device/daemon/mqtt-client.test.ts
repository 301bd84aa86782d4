import { createServer, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, expect, it } from 'vitest';
import { MqttBrokerClient, type MqttClientOptions } from '../../../../device/adapters/mqtt-client.js';
import { startEmbeddedBroker } from '../../../../scripts/demo/embedded-broker.js';
import type { Log } from '../../../../shared/log.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../../helpers/mosquitto.js';

const clients: MqttBrokerClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end(500)));
});

function options(url: string, extra: Partial<MqttClientOptions> = {}): MqttClientOptions {
  return {
    url,
    protocolVersion: 'auto',
    clientId: `thrum-test-${Math.random().toString(16).slice(2)}`,
    rejectUnauthorized: true,
    keepalive: 2,
    connectTimeoutMs: 2000,
    reconnectPeriodMs: 100,
    reconnectMaxMs: 400,
    will: { topic: 'thrum/t/status', payload: '{"state":"offline"}', qos: 1, retain: true },
    ...extra,
  };
}

function client(url: string, extra: Partial<MqttClientOptions> = {}): MqttBrokerClient {
  const c = new MqttBrokerClient(options(url, extra));
  clients.push(c);
  return c;
}

function connected(c: MqttBrokerClient): Promise<4 | 5> {
  return new Promise((resolve) => {
    const off = c.onConnect((info) => {
      off();
      resolve(info.protocolVersion);
    });
  });
}

async function subscriber(url: string, topic: string) {
  const sub = await mqtt.connectAsync(url, { protocolVersion: 5 });
  const got: Array<{ topic: string; payload: string; retain: boolean }> = [];
  sub.on('message', (t, p, packet) => got.push({ topic: t, payload: p.toString(), retain: packet.retain }));
  await sub.subscribeAsync(topic, { qos: 1 });
  return { got, close: () => sub.endAsync() };
}

describeWithMosquitto('MqttBrokerClient against mosquitto', () => {
  let broker: Mosquitto;

  it('connects with MQTT 5, publishes QoS 1 and resolves with the PUBACK reason code', async () => {
    broker = await startMosquitto();
    const sub = await subscriber(broker.url, 'thrum/t/#');
    const c = client(broker.url);
    const up = connected(c);
    c.start();
    expect(await up).toBe(5);
    const result = await c.publish('thrum/t/1/alert', '{"a":1}', { qos: 1 });
    expect(result.reasonCode).toBeLessThan(0x80);
    await expect.poll(() => sub.got.map((m) => m.payload)).toEqual(['{"a":1}']);
    await sub.close();
    await broker.stop();
  });

  it('fails publishes in flight when the broker hangs, and reconnects forever once it is back', async () => {
    broker = await startMosquitto();
    const c = client(broker.url, { protocolVersion: 5 });
    const up = connected(c);
    c.start();
    await up;
    const lost = new Promise<string>((resolve) => c.onDisconnect(resolve));
    broker.pause();
    const inFlight = c.publish('thrum/t/x', 'during-pause', { qos: 1 });
    await expect(inFlight).rejects.toThrow(/closed|before the broker acknowledged/i);
    expect(await lost).toBe('connection lost');
    await expect(c.publish('thrum/t/x', 'offline', { qos: 1 })).rejects.toThrow(/not connected/);
    const back = connected(c);
    broker.resume();
    await broker.restart();
    expect(await back).toBe(5);
    expect((await c.publish('thrum/t/x', 'after', { qos: 1 })).reasonCode).toBeLessThan(0x80);
    await broker.stop();
  }, 30_000);

  it('ends cleanly: the Last Will is not published', async () => {
    broker = await startMosquitto();
    const sub = await subscriber(broker.url, 'thrum/t/status');
    const c = client(broker.url);
    const up = connected(c);
    c.start();
    await up;
    await c.end(1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.got).toEqual([]);
    await sub.close();
    await broker.stop();
  });
});

it('falls back to MQTT 3.1.1 when the broker refuses MQTT 5 (the demo broker, aedes)', async () => {
  const demo = await startEmbeddedBroker();
  try {
    const c = client(demo.url);
    const up = connected(c);
    c.start();
    expect(await up).toBe(4);
    expect(await c.publish('thrum/t/1/alert', 'x', { qos: 1 })).toEqual({ reasonCode: 0 });
    await c.end(500);
  } finally {
    await demo.close();
  }
});

/** The `event` of every log line, in order. */
function eventLog(): { log: Log; events: string[] } {
  const events: string[] = [];
  const at = (fields: object) => {
    const event = (fields as { event?: string }).event;
    if (event) events.push(event);
  };
  return { log: { debug: at, info: at, warn: at, error: at }, events };
}

it('times the connect out and backs off on its clock: a broker that accepts TCP and never answers', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  const clock = new FakeClock();
  const { log, events } = eventLog();
  // Not client(): its afterEach end() would wait on this virtual clock.
  const c = new MqttBrokerClient(options(`mqtt://127.0.0.1:${port}`, { log, clock }));
  try {
    c.start();
    await expect.poll(() => sockets.length).toBe(1);
    await clock.advance(1999);
    expect(events).toEqual([]);
    await clock.advance(1);
    expect(events).toEqual(['mqtt.connect-timeout']);
    // The next attempt waits for the backoff (80..100 ms on the clock), not for real time.
    await expect.poll(() => clock.pendingTimers).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets).toHaveLength(1);
    await clock.advance(100);
    await expect.poll(() => sockets.length).toBe(2);
    expect(c.connected).toBe(false);
  } finally {
    const ended = c.end(500);
    await clock.advance(500);
    await ended;
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  }
});
