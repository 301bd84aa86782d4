import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Alert, Status } from '../../../../shared/mqtt/contract.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../../helpers/mosquitto.js';
import { spawnCli } from '../record/spawn-cli.js';

const id = (n: number) => `019ab5c2-3f00-7000-8000-${String(n).padStart(12, '0')}`;

function alert(n: number, over: Partial<Alert> = {}): Alert {
  return {
    alertId: id(n),
    deviceId: 'press-7',
    sensorId: 'adxl',
    seq: n,
    kind: 'raised',
    score: 0.05,
    threshold: 0.03,
    pValue: 0.001,
    windowStart: '2025-11-25T14:03:06.485Z',
    windowEnd: '2025-11-25T14:03:07.125Z',
    bundleId: 'b1',
    modelVariant: 'int8',
    contributions: [{ group: 'x/spectrum', share: 0.7 }],
    historical: false,
    ...over,
  };
}

const status = (state: Status['state'], deviceId = 'press-7'): Status => ({
  state,
  deviceId,
  bundleId: 'b1',
  startedAt: '2025-11-25T14:00:00.000Z',
  session: 's1',
});

describeWithMosquitto('thrum watch against a real mosquitto', () => {
  let broker: Mosquitto;
  let publisher: mqtt.MqttClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await broker?.stop();
  });

  const publish = (topic: string, payload: unknown, retain = false) =>
    publisher.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), {
      qos: 1,
      retain,
    });

  it('prints each alert once, the retained status and the offline change, warns on garbage, exits 0', async () => {
    // Retained before watch starts: watch learns the device is online as it subscribes.
    await publish('thrum/press-7/status', status('online'), true);
    const watch = spawnCli(['watch', '--mqtt', broker.url]);
    await watch.waitForLine('stderr', /subscribed to thrum\/\+\/\+\/alert, thrum\/\+\/status/);
    await watch.waitForLine('stdout', /press-7 {2}ONLINE/);

    await publish('thrum/press-7/adxl/alert', alert(1));
    await publish('thrum/press-7/adxl/alert', alert(1, { historical: true })); // an outbox replay
    await publish('thrum/press-7/adxl/alert', alert(2, { kind: 'cleared', score: 0.01 }));
    await publish('thrum/press-7/adxl/alert', alert(1));
    await publish('thrum/press-7/adxl/alert', '{"alertId": 42');
    await publish('thrum/press-7/status', status('offline'), true);
    await publish('thrum/press-7/adxl/alert', alert(3, { historical: true })); // sentinel: all above are in
    await watch.waitForLine('stdout', /#3 .*\(replayed\)/);
    await watch.waitForLine('stdout', /press-7 {2}OFFLINE/);
    await watch.waitForLine('stderr', /^warning: skipped a malformed message: thrum\/press-7\/adxl\/alert/);

    expect(watch.stdout.filter((l) => /press-7\/adxl {2}RAISED {3}#1 /.test(l))).toHaveLength(1);
    expect(watch.stdout.filter((l) => /CLEARED {2}#2 /.test(l))).toHaveLength(1);
    expect(watch.stdout.filter((l) => /#\d+/.test(l))).toHaveLength(3);
    expect(watch.stdout.filter((l) => /ONLINE|OFFLINE/.test(l))).toHaveLength(2);
    expect(await watch.stop()).toBe(0);
    expect(watch.stderr.at(-1)).toBe(
      'watch: 3 alert(s), 2 duplicate(s) dropped, 2 status change(s), 1 malformed',
    );
  });

  it('--json --device over MQTT 3.1.1: JSON lines for that device only', async () => {
    await publish('thrum/lathe-2/status', status('online', 'lathe-2'), true);
    const watch = spawnCli([
      'watch',
      '--mqtt',
      broker.url,
      '--json',
      '--device',
      'lathe-2',
      '--protocol',
      '3.1.1',
    ]);
    await watch.waitForLine('stderr', /MQTT 3\.1\.1\), subscribed to thrum\/lathe-2\/\+\/alert/);
    await publish('thrum/press-7/adxl/alert', alert(10));
    await publish('thrum/lathe-2/adxl/alert', alert(11, { deviceId: 'lathe-2' }));
    await publish('thrum/lathe-2/adxl/alert', alert(11, { deviceId: 'lathe-2' }));
    await publish('thrum/lathe-2/adxl/alert', alert(12, { deviceId: 'lathe-2' }));
    await watch.waitForLine('stdout', /"seq":12/);
    const objects = watch.stdout.map((l) => JSON.parse(l));
    expect(objects.map((o) => [o.type, o.deviceId, o.seq ?? o.state])).toEqual([
      ['status', 'lathe-2', 'online'],
      ['alert', 'lathe-2', 11],
      ['alert', 'lathe-2', 12],
    ]);
    expect(objects[1]).toMatchObject({ topic: 'thrum/lathe-2/adxl/alert', alertId: id(11), kind: 'raised' });
    expect(await watch.stop()).toBe(0);
  });
});
