import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MqttBrokerClient } from '../../../../device/adapters/mqtt-client.js';
import { runToken } from '../../../../scripts/process/run-token.js';
import { topicIdProblem } from '../../../../shared/mqtt/topic-ids.js';
import { statusTopic } from '../../../../shared/mqtt/topics.js';
import { spawnDaemon } from '../../../e2e/daemon-harness.js';
import { makeBundle } from '../../../fixtures/make-bundle.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../../helpers/mosquitto.js';
import { expectRefusal, runThrum } from '../../../helpers/thrum-cli.js';

// #13 item 7 against a real mosquitto: the id rules of the config are what MQTT brokers enforce. Ids the
// schema accepts connect (client id thrum-<id>, Last Will on thrum/<id>/status); the characters it refuses
// make mosquitto drop the CONNECT without a CONNACK, which is what the daemon used to run into silently.
// And a connection that makes no progress is now logged (mqtt.no-progress).

const dir = mkdtempSync(join(tmpdir(), `thrum-ids-${runToken()}-`));
let broker: Mosquitto;

beforeAll(async () => {
  broker = await startMosquitto();
}, 30_000);
afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether mosquitto answers a CONNECT with this client id and Last Will topic with a CONNACK. */
function mosquittoAccepts(clientId: string, willTopic: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = mqtt.connect(broker.url, {
      clientId,
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 3000,
      will: { topic: willTopic, payload: Buffer.from('{}'), qos: 1, retain: false },
    });
    const done = (ok: boolean) => {
      c.removeAllListeners();
      c.on('error', () => {});
      c.end(true);
      resolve(ok);
    };
    c.once('connect', () => done(true));
    c.once('close', () => done(false));
    c.once('error', () => done(false));
  });
}

/** The daemon's own adapter connects with `thrum-<id>` and its Last Will on the id's status topic. */
function daemonClientConnects(id: string): Promise<boolean> {
  const client = new MqttBrokerClient({
    url: broker.url,
    protocolVersion: 5,
    clientId: `thrum-${id}`,
    rejectUnauthorized: true,
    keepalive: 5,
    connectTimeoutMs: 3000,
    reconnectPeriodMs: 5000,
    reconnectMaxMs: 5000,
    will: { topic: statusTopic('thrum', id), payload: '{"state":"offline"}', qos: 1, retain: false },
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), 4000);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      void client.end(200).then(() => resolve(ok));
    };
    client.onConnect(() => finish(true));
    client.start();
  });
}

describeWithMosquitto('device ids against mosquitto', () => {
  it('every id the schema accepts is one mosquitto takes as client id and Last Will topic (40 random ids)', async () => {
    const accepted = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .filter((id) => topicIdProblem(id) === undefined);
    const ids = fc.sample(accepted, { numRuns: 40, seed: 13 });
    ids.push('a'.repeat(64), '🛠'.repeat(16), 'pömpe-7');
    for (const id of ids) expect(await daemonClientConnects(id), JSON.stringify(id)).toBe(true);
  }, 120_000);

  it('the characters the schema refuses are the ones mosquitto drops the CONNECT for', async () => {
    const refusedByMqtt = [
      'p\u0001',
      'p\u001f',
      'p\u007f',
      'p\u0085',
      'p\u009f',
      'p\ufdd0',
      'p\uffff',
      'p\u{1fffe}',
      'p\u{10ffff}',
    ];
    for (const id of refusedByMqtt) {
      expect(topicIdProblem(id), JSON.stringify(id)).toBeDefined();
      expect(
        await mosquittoAccepts(`thrum-${id}`, 'thrum/ok/status'),
        `client id ${JSON.stringify(id)}`,
      ).toBe(false);
      expect(
        await mosquittoAccepts('thrum-ok', `thrum/${id}/status`),
        `will topic ${JSON.stringify(id)}`,
      ).toBe(false);
    }
    // Whitespace is refused by choice (every mosquitto_sub -t would need quoting), not because MQTT forbids it.
    expect(topicIdProblem('pump 7')).toMatch(/whitespace/);
    expect(await mosquittoAccepts('thrum-pump 7', 'thrum/pump 7/status')).toBe(true);
  }, 60_000);

  it('thrum run --check-config refuses such ids, and a 70,000-character one, with one line (was a stack)', () => {
    const bundleDir = join(dir, 'no-bundle-needed');
    for (const [id, why] of [
      ['pump\u00017', /device\.id: must not contain the control character U\+0001, got "pump\\u00017"/],
      ['pump\uffff', /device\.id: must not contain the noncharacter U\+FFFF, got "pump\\uffff"/],
      [
        'x'.repeat(70_000),
        /device\.id: must be at most 64 bytes of UTF-8 \(it has 70000 characters\), got "x{57}…"/,
      ],
    ] as const) {
      const file = join(dir, `id-${Math.random().toString(16).slice(2)}.yaml`);
      writeFileSync(
        file,
        stringify({
          device: { id },
          serial: { path: '/dev/ttyUSB9', baudRate: 921600, channels: 3, sampleRate: 800 },
          model: { bundle: bundleDir },
          mqtt: { url: broker.url },
        }),
      );
      expectRefusal(runThrum(['run', '--config', file, '--check-config']), why);
    }
  }, 60_000);
});

describeWithMosquitto('a broker connection that makes no progress', () => {
  it('is logged as mqtt.no-progress after 2 x connectTimeoutMs without a CONNACK, then connects', async () => {
    const frozen = await startMosquitto();
    const bundle = (await makeBundle({ dir: join(dir, 'bundle') })).dir;
    const file = join(dir, 'frozen.yaml');
    writeFileSync(
      file,
      stringify({
        device: { id: 'pump-7' },
        serial: { path: join(dir, 'no-such-tty'), baudRate: 921600, channels: 3, sampleRate: 800 },
        model: { bundle, variant: 'int8' },
        mqtt: { url: frozen.url, connectTimeoutMs: 400, reconnectPeriodMs: 100, reconnectMaxMs: 400 },
        outbox: { path: join(dir, 'frozen-outbox.db') },
      }),
    );
    // SIGSTOP: the kernel still accepts the TCP connection, nobody answers the CONNECT.
    frozen.pause();
    const daemon = spawnDaemon(file);
    try {
      const warning = await daemon.waitForLog(
        'mqtt.no-progress',
        (l) => l.event === 'mqtt.no-progress',
        20_000,
      );
      expect(warning).toMatchObject({ level: 40, broker: frozen.url, clientId: 'thrum-pump-7' });
      expect(Number(warning.waitedMs)).toBeGreaterThanOrEqual(800);
      frozen.resume();
      await daemon.connected();
    } finally {
      frozen.resume();
      await daemon.stop();
      await frozen.stop();
    }
  }, 90_000);
});
