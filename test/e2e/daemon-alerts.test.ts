import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeBundle, syntheticVibration } from '../fixtures/make-bundle.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { createPtyPair } from '../helpers/pty-pair.js';
import { describeRequiring } from '../helpers/system-tools.js';
import {
  alertsIn,
  payloadsOf,
  SampleWriter,
  spawnDaemon,
  subscribe,
  tempDir,
  writeConfig,
} from './daemon-harness.js';

// Issue #4 (a) and (b): a healthy signal, then a faulty one, then healthy again, written into one end of a
// pty; the daemon on the other end publishes exactly one `raised` and later one `cleared`, nothing while
// the signal is healthy, and it does so the same with csv lines and with binary COBS frames.

let bundleDir: string;
const tmp = tempDir();
beforeAll(async () => {
  bundleDir = (await makeBundle({ dir: `${tmp.dir}/bundle` })).dir;
}, 60_000);
afterAll(() => tmp.remove());

describeRequiring(['mosquitto', 'socat'], 'thrum run end to end: healthy -> faulty -> healthy', () => {
  for (const format of ['csv', 'frames'] as const) {
    it(`raises once and clears once (${format})`, async () => {
      const broker = await startMosquitto();
      const pair = await createPtyPair();
      const sub = await subscribe(broker.url);
      const dir = `${tmp.dir}/${format}`;
      mkdirSync(dir);
      const config = writeConfig({
        dir,
        bundle: bundleDir,
        serialPath: pair.b,
        brokerUrl: broker.url,
        format,
      });
      const daemon = spawnDaemon(config);
      await daemon.ready;
      await daemon.waitForLog('the serial port to open', (l) => l.event === 'source.open');
      await daemon.connected();

      const writer = new SampleWriter(pair.a, format);
      await writer.write(syntheticVibration({ seconds: 6, seed: 11 }));
      // Let the last healthy windows through scoring before the fault starts.
      await new Promise((r) => setTimeout(r, 300));
      const faultAt = Date.now();
      expect(alertsIn(sub.got)).toEqual([]);
      await writer.write(syntheticVibration({ seconds: 4, seed: 12, fault: 'gain' }));
      const healthyAgainAt = Date.now();
      await writer.write(syntheticVibration({ seconds: 6, seed: 13 }));
      await expect.poll(() => alertsIn(sub.got).length, { timeout: 10_000 }).toBe(2);
      // Nothing more once healthy data keeps flowing.
      await writer.write(syntheticVibration({ seconds: 3, seed: 14 }));
      writer.close();

      // Every message the daemon published kept the MQTT contract (docs/mqtt.md), telemetry included.
      expect(sub.malformed).toEqual([]);
      const alerts = alertsIn(sub.got);
      expect(alerts.map((a) => [a.kind, a.seq, a.sensorId, a.historical])).toEqual([
        ['raised', 1, '1', false],
        ['cleared', 2, '1', false],
      ]);
      const [raised, cleared] = alerts;
      expect(Date.parse(raised!.windowEnd)).toBeGreaterThanOrEqual(faultAt);
      expect(Date.parse(cleared!.windowEnd)).toBeGreaterThanOrEqual(healthyAgainAt);
      expect(raised!.score).toBeGreaterThan(raised!.threshold);
      expect(raised!.contributions.length).toBeGreaterThan(0);
      expect(raised!.alertId).not.toBe(cleared!.alertId);

      // Telemetry flowed too: score summaries and health with the decoder counters of this format.
      const health = payloadsOf(sub.got, 'health').at(-1)!;
      expect(health.sections.frames!.records).toBeGreaterThan(0);
      expect(health.sections.frames!.bad).toBe(0);
      expect(sub.got.some((m) => m.topic === 'thrum/e2e-pump/1/score')).toBe(true);

      // SIGTERM: clean exit 0, the retained status says offline, the outbox is empty.
      daemon.child.kill('SIGTERM');
      expect(await daemon.exit).toEqual({ code: 0, signal: null });
      expect(payloadsOf(sub.got, 'status').map((s) => s.state)).toEqual(['online', 'offline']);
      expect(sub.malformed).toEqual([]);
      expect(daemon.lines.find((l) => l.event === 'daemon.stopped')).toMatchObject({ pendingInOutbox: 0 });

      await sub.close();
      await pair.close();
      await broker.stop();
    });
  }
});
