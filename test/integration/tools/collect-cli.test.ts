// `thrum collect` as a process on a real mosquitto: an alert its database refuses is not acked (collect
// stops, exit 1), and the same client id gets it again on the next start. The refusal is a real SQLite
// error, raised by a trigger planted in the file before collect opens it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Alert } from '../../../shared/mqtt/contract.js';
import { AlertStore } from '../../../tools/collect/alert-store.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { spawnCli } from './record/spawn-cli.js';

const alert = (seq: number): Alert => ({
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
});

describeWithMosquitto('thrum collect against a real mosquitto', () => {
  let broker: Mosquitto;
  const dir = mkdtempSync(join(tmpdir(), 'thrum-collect-cli-'));
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops without acking an alert it cannot store; the next start under the same id stores it', async () => {
    const db = join(dir, 'alerts.db');
    new AlertStore(db).close();
    const plant = new Database(db);
    plant.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON alerts WHEN NEW.seq = 2 BEGIN SELECT RAISE(ABORT, 'refused by test'); END;`,
    );
    plant.close();
    const args = ['collect', '--mqtt', broker.url, '--db', db, '--client-id', 'collect-cli'];
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const publish = (a: Alert) =>
      publisher.publishAsync('thrum/press-7/adxl/alert', JSON.stringify(a), { qos: 1 });

    const first = spawnCli(args);
    await first.waitForLine(
      'stderr',
      /collect: connected .* subscribed to thrum\/\+\/\+\/alert, thrum\/\+\/\+\/evicted/,
    );
    await publish(alert(1));
    await first.waitForLine('stdout', /press-7\/adxl {2}RAISED #1 /);
    await publish(alert(2));
    expect(await first.exit()).toBe(1);
    expect(first.stderr.join('\n')).toMatch(
      /cannot store an alert in .*refused by test; stopping \(not acked\)/,
    );

    const fix = new Database(db);
    fix.exec('DROP TRIGGER refuse');
    fix.close();
    const second = spawnCli(args);
    await second.waitForLine('stdout', /press-7\/adxl {2}RAISED #2 /);
    await publish(alert(1)); // a redelivery of a stored alert: ignored
    await publish(alert(3));
    await second.waitForLine('stdout', /#3 /);
    expect(await second.stop()).toBe(0);
    expect(second.stdout.filter((l) => /#1 /.test(l))).toEqual([]);
    expect(second.stderr.at(-1)).toBe(
      'collect: 2 alert(s) stored, 1 duplicate(s) ignored, 0 eviction record(s), 0 malformed',
    );
    const read = new Database(db, { readonly: true });
    expect(read.prepare('SELECT seq FROM alerts ORDER BY seq').pluck().all()).toEqual([1, 2, 3]);
    read.close();
    await publisher.endAsync();
  }, 40_000);
});
