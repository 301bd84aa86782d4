import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, expect, it } from 'vitest';
import { canConnect } from '../../../scripts/process/loopback.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';

const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

function connect(url: string, protocolVersion: 4 | 5, opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { protocolVersion, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  clients.push(client);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

function nextMessage(client: MqttClient): Promise<{ topic: string; payload: string; qos: number }> {
  return new Promise((resolve) =>
    client.once('message', (topic, payload, packet) =>
      resolve({ topic, payload: payload.toString(), qos: packet.qos }),
    ),
  );
}

async function roundTrip(broker: Mosquitto, protocolVersion: 4 | 5, topic: string): Promise<void> {
  const sub = await connect(broker.url, protocolVersion);
  const pub = await connect(broker.url, protocolVersion);
  await sub.subscribeAsync(topic, { qos: 1 });
  const received = nextMessage(sub);
  await pub.publishAsync(topic, `hello v${protocolVersion}`, { qos: 1 });
  expect(await received).toEqual({ topic, payload: `hello v${protocolVersion}`, qos: 1 });
}

describeWithMosquitto('startMosquitto', () => {
  it('relays a QoS 1 message between two MQTT 3.1.1 clients', async () => {
    const broker = await startMosquitto();
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    await roundTrip(broker, 4, 'thrum/dev1/s1/alert');
    await broker.stop();
  });

  it('relays a QoS 1 message between two MQTT 5 clients; PUBACK carries a reason code', async () => {
    const broker = await startMosquitto();
    await roundTrip(broker, 5, 'thrum/dev1/s1/alert');
    const pub = await connect(broker.url, 5);
    const pubacks: number[] = [];
    pub.on('packetreceive', (p) => {
      if (p.cmd === 'puback') pubacks.push(p.reasonCode ?? 0);
    });
    await pub.publishAsync('nobody/listens', 'y', { qos: 1 });
    await pub.publishAsync('thrum/dev1/s1/alert', 'y', { qos: 1 }); // the round trip's subscriber is still there
    // 16 = "no matching subscribers": a success code, not an error (publishers must not treat it as one).
    expect(pubacks).toEqual([16, 0]);
    await broker.stop();
  });

  it('refuses connections after stop() and removes its temp dir', async () => {
    const broker = await startMosquitto();
    const dirsBefore = readdirSync(tmpdir()).filter((n) => n.startsWith('thrum-mosquitto-'));
    expect(await canConnect(broker.port)).toBe(true);
    await broker.stop();
    expect(await canConnect(broker.port)).toBe(false);
    const client = mqtt.connect(broker.url, { reconnectPeriod: 0, connectTimeout: 2000 });
    clients.push(client);
    const err = await new Promise<Error>((resolve) => client.once('error', resolve));
    expect(String((err as NodeJS.ErrnoException).code ?? err.message)).toMatch(/ECONNREFUSED/);
    const dirsAfter = readdirSync(tmpdir()).filter((n) => n.startsWith('thrum-mosquitto-'));
    expect(dirsBefore.length - dirsAfter.length).toBe(1);
    expect(() => process.kill(broker.pid, 0)).toThrow();
    await broker.stop(); // idempotent
  });

  it('restart() comes back on the same port with a new process', async () => {
    const broker = await startMosquitto();
    const { port, pid } = broker;
    await broker.restart();
    expect(broker.port).toBe(port);
    expect(broker.pid).not.toBe(pid);
    expect(() => process.kill(pid, 0)).toThrow();
    await roundTrip(broker, 4, 'after/restart');
    await broker.stop();
  });

  it('a reconnecting client survives restart() and can publish again', async () => {
    const broker = await startMosquitto();
    const client = await connect(broker.url, 4, { reconnectPeriod: 100 });
    const reconnected = new Promise<void>((resolve) => client.once('reconnect', () => resolve()));
    await broker.restart();
    await reconnected;
    await new Promise<void>((resolve) =>
      client.connected ? resolve() : client.once('connect', () => resolve()),
    );
    const sub = await connect(broker.url, 4);
    await sub.subscribeAsync('t', { qos: 1 });
    const received = nextMessage(sub);
    await client.publishAsync('t', 'after', { qos: 1 });
    expect((await received).payload).toBe('after');
    await broker.stop();
  });

  it('pause() holds PUBACKs back until resume()', async () => {
    const broker = await startMosquitto();
    const pub = await connect(broker.url, 4, { keepalive: 0 });
    broker.pause();
    let acked = false;
    const ack = pub.publishAsync('paused/topic', 'x', { qos: 1 }).then(() => {
      acked = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(acked).toBe(false);
    broker.resume();
    await ack;
    expect(acked).toBe(true);
    await broker.stop();
  });

  it('stop() ends a paused broker too', async () => {
    const broker = await startMosquitto();
    broker.pause();
    await broker.stop();
    expect(() => process.kill(broker.pid, 0)).toThrow();
    expect(await canConnect(broker.port)).toBe(false);
  });

  it('with persistence, a persistent session keeps its queued QoS 1 message across restart({downMs})', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thrum-test-broker-dir-'));
    try {
      const broker = await startMosquitto({ persistence: true, dir });
      const session = { clientId: 'thrum-test-persistent', clean: false };
      const sub = await connect(broker.url, 4, session);
      await sub.subscribeAsync('kept/topic', { qos: 1 });
      await sub.endAsync();
      const pub = await connect(broker.url, 4);
      await pub.publishAsync('kept/topic', 'queued', { qos: 1 });
      const t0 = Date.now();
      await broker.restart({ downMs: 300 });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      const back = mqtt.connect(broker.url, { protocolVersion: 4, reconnectPeriod: 0, ...session });
      clients.push(back);
      expect((await nextMessage(back)).payload).toBe('queued');
      await broker.stop();
      expect(existsSync(join(dir, 'mosquitto.conf'))).toBe(true); // a given dir is the caller's
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes extra config lines and verbose logging to the broker', async () => {
    const broker = await startMosquitto({ verbose: true, config: ['max_packet_size 2000'] });
    const client = mqtt.connect(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    clients.push(client);
    const connack = await new Promise<mqtt.IConnackPacket>((resolve) => client.once('connect', resolve));
    // MQTT 5 brokers announce their packet size limit in CONNACK.
    expect(connack.properties?.maximumPacketSize).toBe(2000);
    expect(broker.log()).toMatch(/New client connected from 127\.0\.0\.1/);
    expect(broker.log()).toMatch(/Sending CONNACK/);
    await broker.stop();
  });
});
