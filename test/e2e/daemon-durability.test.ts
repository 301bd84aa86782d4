import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeBundle, syntheticVibration } from '../fixtures/make-bundle.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { createPtyPair } from '../helpers/pty-pair.js';
import { describeRequiring } from '../helpers/system-tools.js';
import {
  alertsIn,
  crashAtFailpoint,
  isAlertCommittedLog,
  isConnectedLog,
  payloadsOf,
  SampleWriter,
  spawnDaemon,
  subscribe,
  tempDir,
  writeConfig,
} from './daemon-harness.js';

// Issue #4 (c) and (d): nothing is lost when the broker goes away while alerts happen, nor when the daemon
// dies between committing an alert and publishing it.

let bundleDir: string;
const tmp = tempDir();
beforeAll(async () => {
  bundleDir = (await makeBundle({ dir: `${tmp.dir}/bundle` })).dir;
}, 60_000);
afterAll(() => tmp.remove());

/** Faulty then healthy stretches: each cycle is one raise and (after enough healthy windows) one clear. */
function cycles(n: number, seed: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => [
    syntheticVibration({ seconds: 1.2, seed: seed + 2 * i, fault: 'gain' }),
    syntheticVibration({ seconds: 1.6, seed: seed + 2 * i + 1 }),
  ]).flat();
}

describeRequiring(['mosquitto', 'socat'], 'thrum run: durability', () => {
  it('(c) alerts produced while mosquitto is down all arrive after it is back, in seq order', async () => {
    let broker = await startMosquitto();
    const port = broker.port;
    const pair = await createPtyPair();
    const dir = join(tmp.dir, 'outage');
    mkdirSync(dir);
    const config = writeConfig({ dir, bundle: bundleDir, serialPath: pair.b, brokerUrl: broker.url });
    const daemon = spawnDaemon(config);
    await daemon.ready;
    await daemon.connected();
    let sub = await subscribe(broker.url);
    const writer = new SampleWriter(pair.a, 'csv');
    await writer.write(syntheticVibration({ seconds: 3, seed: 21 }));

    // One cycle with the broker up.
    for (const part of cycles(1, 100)) await writer.write(part);
    await expect.poll(() => alertsIn(sub.got).length, { timeout: 10_000 }).toBe(2);
    await sub.close();

    await broker.stop();
    await daemon.waitForLog('the disconnect', (l) => l.event === 'mqtt.disconnected');
    for (const part of cycles(4, 200)) await writer.write(part);
    await daemon.waitForLog(
      '8 more alerts committed',
      () => daemon.count(isAlertCommittedLog) === 10,
      20_000,
    );
    expect(daemon.count(isConnectedLog)).toBe(1);

    // Freeze the daemon while the broker comes back, so the subscriber is in before the replay starts.
    daemon.child.kill('SIGSTOP');
    broker = await startMosquitto({ port });
    sub = await subscribe(broker.url);
    daemon.child.kill('SIGCONT');
    await expect.poll(() => alertsIn(sub.got).length, { timeout: 20_000 }).toBe(8);

    const replayed = alertsIn(sub.got);
    expect(replayed.map((a) => a.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(replayed.map((a) => a.kind)).toEqual(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? 'cleared' : 'raised')),
    );
    // Older than historicalAfterMs (1 s in this config) when they finally went out.
    expect(replayed[0]!.historical).toBe(true);
    expect(new Set(replayed.map((a) => a.alertId)).size).toBe(8);

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await sub.close();
    await pair.close();
    await broker.stop();
  }, 120_000);

  it('(d) SIGKILL after the commit and before the publish: the alert arrives after a restart', async () => {
    const broker = await startMosquitto();
    const pair = await createPtyPair();
    const dir = join(tmp.dir, 'crash');
    mkdirSync(dir);
    const config = writeConfig({ dir, bundle: bundleDir, serialPath: pair.b, brokerUrl: broker.url });
    const sub = await subscribe(broker.url);

    const { exited, writer } = await crashAtFailpoint(config, pair.a, 'after-commit-before-publish', 31);
    expect(exited).toEqual({ code: null, signal: 'SIGKILL' });

    // Committed, not published: one row in the outbox, nothing on the alert topic, the Last Will on status.
    const db = new Database(join(dir, 'outbox.db'), { readonly: true });
    const rows = db.prepare("SELECT id, seq FROM entries WHERE kind = 'alert'").all() as Array<{
      id: string;
      seq: number;
    }>;
    db.close();
    expect(rows).toHaveLength(1);
    expect(alertsIn(sub.got)).toEqual([]);
    await expect.poll(() => payloadsOf(sub.got, 'status').map((s) => s.state)).toEqual(['online', 'offline']);

    const second = spawnDaemon(config);
    await second.ready;
    await expect.poll(() => alertsIn(sub.got).length, { timeout: 15_000 }).toBe(1);
    const [alert] = alertsIn(sub.got);
    expect(alert).toMatchObject({ alertId: rows[0]!.id, seq: 1, kind: 'raised' });

    // The seq counter survived the crash: the next alert is 2.
    const writer2 = new SampleWriter(pair.a, 'csv');
    await writer2.write(syntheticVibration({ seconds: 2, seed: 33, fault: 'gain' }));
    await expect.poll(() => alertsIn(sub.got).length, { timeout: 15_000 }).toBe(2);
    expect(alertsIn(sub.got)[1]!.seq).toBe(2);

    writer.close();
    writer2.close();
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
    await sub.close();
    await pair.close();
    await broker.stop();
  }, 120_000);
});
