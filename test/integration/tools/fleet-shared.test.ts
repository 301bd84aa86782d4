// A fleet on a real mosquitto: 10 simulated devices publish alerts at QoS 1, 3 `thrum collect` processes in
// one shared-subscription group store them. Each alert must land in exactly one member's database, and a
// member that dies mid-stream (SIGKILL) must lose nothing once it comes back under its client id. The
// numbers it measures about in-flight messages are the ones docs/consumers.md quotes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Alert, encodePayload, topicOf } from '../../../shared/mqtt/contract.js';
import { uuidv7 } from '../../../shared/mqtt/uuidv7.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { type CliRun, spawnCli } from './record/spawn-cli.js';

const DEVICES = 10;
const SENSORS = ['adxl', 'mpu'] as const;
const MEMBERS = 3;

function alert(deviceId: string, sensorId: string, seq: number): Alert {
  return {
    alertId: uuidv7(Date.now()),
    deviceId,
    sensorId,
    seq,
    kind: seq % 2 === 1 ? 'raised' : 'cleared',
    score: 0.05,
    threshold: 0.03,
    pValue: 0.001,
    windowStart: '2025-11-25T14:03:06.485Z',
    windowEnd: '2025-11-25T14:03:07.125Z',
    bundleId: 'b1',
    modelVariant: 'int8',
    contributions: [{ group: 'x/spectrum', share: 0.7 }],
    historical: false,
  };
}

/** A simulated device: its own MQTT connection and a seq per sensor, as the daemon's outbox hands them out. */
class Device {
  private readonly seqs = new Map<string, number>();
  readonly published: string[] = [];
  private constructor(
    readonly id: string,
    private readonly client: mqtt.MqttClient,
  ) {}
  static async connect(url: string, id: string): Promise<Device> {
    return new Device(id, await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `sim-${id}` }));
  }
  /** Publishes one alert per sensor; resolves on the broker's PUBACKs (the broker owns them from then on). */
  async tick(): Promise<void> {
    await Promise.all(
      SENSORS.map(async (sensorId) => {
        const seq = (this.seqs.get(sensorId) ?? 0) + 1;
        this.seqs.set(sensorId, seq);
        const a = alert(this.id, sensorId, seq);
        const topic = topicOf('alert', { prefix: 'thrum', deviceId: this.id, sensorId });
        await this.client.publishAsync(topic, encodePayload('alert', a), { qos: 1 });
        this.published.push(a.alertId);
      }),
    );
  }
  close(): Promise<void> {
    return this.client.endAsync();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWithMosquitto('thrum collect: a shared-subscription group on mosquitto 2', () => {
  let broker: Mosquitto;
  let devices: Device[];
  const dir = mkdtempSync(join(tmpdir(), 'thrum-fleet-'));
  const dbOf = (m: number) => join(dir, `member-${m}.db`);
  const members: CliRun[] = [];
  const startMember = async (m: number) => {
    const run = spawnCli([
      'collect',
      '--mqtt',
      broker.url,
      '--db',
      dbOf(m),
      '--share',
      'fleet',
      '--client-id',
      `fleet-${m}`,
    ]);
    await run.waitForLine(
      'stderr',
      /collect: connected .* subscribed to \$share\/fleet\/thrum\/\+\/\+\/alert/,
    );
    members[m] = run;
  };
  /** alertIds in each member's database (read through WAL while the collectors write). */
  const stored = (): Set<string>[] =>
    Array.from({ length: MEMBERS }, (_, m) => {
      const db = new Database(dbOf(m), { readonly: true, fileMustExist: true });
      try {
        return new Set(db.prepare('SELECT alert_id FROM alerts').pluck().all() as string[]);
      } finally {
        db.close();
      }
    });
  const published = () => devices.flatMap((d) => d.published);
  const missing = () => {
    const union = new Set(stored().flatMap((s) => [...s]));
    return published().filter((id) => !union.has(id));
  };
  /** Waits until nothing more arrives for `quietMs` (or all are in), then returns what is missing. */
  const settle = async (quietMs = 1500, timeoutMs = 15_000) => {
    const end = Date.now() + timeoutMs;
    let last = -1;
    let since = Date.now();
    for (;;) {
      const n = missing().length;
      if (n === 0) return [];
      if (n !== last) {
        last = n;
        since = Date.now();
      } else if (Date.now() - since >= quietMs || Date.now() > end) return missing();
      await sleep(100);
    }
  };

  beforeAll(async () => {
    broker = await startMosquitto();
    devices = await Promise.all(
      Array.from({ length: DEVICES }, (_, i) => Device.connect(broker.url, `press-${i}`)),
    );
    for (let m = 0; m < MEMBERS; m++) await startMember(m);
  }, 40_000);
  afterAll(async () => {
    await Promise.all((devices ?? []).map((d) => d.close()));
    await Promise.all(members.map((r) => r?.stop()));
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every alert in exactly one member', async () => {
    for (let t = 0; t < 10; t++) await Promise.all(devices.map((d) => d.tick()));
    expect(await settle()).toEqual([]);
    const sets = stored();
    const total = sets.reduce((n, s) => n + s.size, 0);
    expect(published()).toHaveLength(DEVICES * SENSORS.length * 10);
    expect(total).toBe(published().length); // sum of sizes == union size: no alert stored twice
    for (const s of sets) expect(s.size).toBeGreaterThan(0); // the group really splits the load
    // One stdout line per stored alert (polled: the line is written after the commit, the pipe may lag).
    const alertLines = (m: number) =>
      members[m]!.stdout.filter((l) => /press-\d+\/(adxl|mpu) {2}(RAISED|CLEARED) #\d+/.test(l)).length;
    for (let m = 0; m < MEMBERS; m++) await expect.poll(() => alertLines(m)).toBe(sets[m]!.size);
  }, 30_000);

  it('a member killed mid-stream loses nothing once it comes back under its client id', async () => {
    const victim = members[1]!;
    const stream = (async () => {
      for (let t = 0; t < 30; t++) {
        await Promise.all(devices.map((d) => d.tick()));
        await sleep(20);
      }
    })();
    await sleep(150);
    // Hung first, then killed: the broker goes on dealing it alerts it never acks (in flight and queued).
    victim.child.kill('SIGSTOP');
    await sleep(300);
    victim.child.kill('SIGKILL');
    await victim.exit();
    const atKill = new Set(published());
    await stream;
    const lostWhileAway = await settle();
    const dealtAfterDeath = lostWhileAway.filter((id) => !atKill.has(id)).length;
    await startMember(1);
    // Longer quiet period: 0 ends the wait at once; anything else must survive a slow, shared CI machine.
    const lostAfterReturn = await settle(4000);
    console.log(
      `persistent member SIGKILLed: ${published().length} alerts published (${atKill.size} before the kill); ` +
        `missing while it is away: ${lostWhileAway.length} (${dealtAfterDeath} of them published after its death), ` +
        `after it came back: ${lostAfterReturn.length}`,
    );
    expect(lostWhileAway.length).toBeGreaterThan(0); // it did die with alerts in its session
    // mosquitto 2.0 keeps dealing a dead member with a live session its share of new alerts.
    expect(dealtAfterDeath).toBeGreaterThan(0);
    expect(lostAfterReturn).toEqual([]);
    const sets = stored();
    expect(sets.reduce((n, s) => n + s.size, 0)).toBe(published().length); // still none stored twice
  }, 40_000);

  it('a member with a clean session (no client id) takes its in-flight alerts with it', async () => {
    // A plain mqtt.js member that never acks, then drops its socket: what a crashed clean-session consumer is.
    const volatile = await mqtt.connectAsync(broker.url, {
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
    });
    let received = 0;
    volatile.handleMessage = (_packet, _done) => {
      received++; // never done(): no PUBACK, the alert stays in flight to this member
    };
    await volatile.subscribeAsync('$share/fleet/thrum/+/+/alert', { qos: 1 });
    const before = new Set(published());
    const stream = (async () => {
      for (let t = 0; t < 20; t++) {
        await Promise.all(devices.map((d) => d.tick()));
        await sleep(20);
      }
    })();
    await sleep(300);
    volatile.stream.destroy();
    await stream;
    const lost = (await settle()).filter((id) => !before.has(id));
    console.log(
      `clean-session member dropped with ${received} alert(s) read and unacked: ${published().length - before.size} published, ` +
        `${lost.length} reached no member`,
    );
    expect(received).toBeGreaterThan(0);
    // A characterization of mosquitto 2.0.x: the alerts in flight (and queued) to a clean-session member are
    // not handed to the rest of the group when it goes; they reach no one. Should a newer mosquitto fix it,
    // this fails, and docs/consumers.md ("In-flight messages") needs the new behaviour.
    expect(lost.length).toBeGreaterThan(0);
  }, 30_000);
});
