import { expect, it } from 'vitest';
import { type DaemonProcess, SampleWriter, spawnDaemon } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { describeRequiring } from '../helpers/system-tools.js';
import { backgroundFeed, committedSeqs, isAlertLog, sleep } from './common.js';
import { reliabilityFixture, startScenario } from './scenario.js';

// Issue #7 (1): mosquitto is stopped for 30 s while faults keep raising and clearing alerts, then started
// again on the same port. Every committed alert reaches a subscriber (seq 1..N, in order, duplicates
// allowed), and the first replayed one arrives within reconnectMaxMs + 5 s of the broker being back.

const RECONNECT_MAX_MS = 5000;
const OUTAGE_MS = 30_000;

const fixture = reliabilityFixture();

describeRequiring(['mosquitto', 'socat'], 'reliability: broker outage', () => {
  it('loses nothing across a 30 s broker outage and replays within reconnectMaxMs + 5 s', async () => {
    // The broker keeps the subscriber's session (and the QoS 1 messages queued for it) across the restart,
    // so the receiver's count does not depend on who reconnects first.
    const sc = await startScenario(fixture, {
      name: 'outage',
      persistentBroker: true,
      extra: { mqtt: { reconnectPeriodMs: 500, reconnectMaxMs: RECONNECT_MAX_MS, keepalive: 4 } },
    });
    const { sub, pair, config } = sc;
    const daemon: DaemonProcess = spawnDaemon(config);
    await daemon.ready;
    await daemon.connected();

    const writer = new SampleWriter(pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 3, seed: 71 }));
    const feed = backgroundFeed(writer, 1000);

    await expect.poll(() => sub.ledger.unique, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    const receivedBefore = sub.ledger.unique;
    await sc.broker.stop();
    await daemon.waitForLog('the disconnect', (l) => l.event === 'mqtt.disconnected');
    const committedAtStop = daemon.count(isAlertLog);
    await sleep(OUTAGE_MS);
    const committedDuringOutage = daemon.count(isAlertLog) - committedAtStop;
    expect(committedDuringOutage).toBeGreaterThanOrEqual(20);

    await sc.restartBroker();
    const upAt = Date.now();
    const lastSeqBefore = Math.max(...sub.ledger.arrivals.map((a) => a.seq));
    await expect
      .poll(() => sub.ledger.arrivals.some((a) => a.seq > lastSeqBefore), {
        timeout: RECONNECT_MAX_MS + 5000,
      })
      .toBe(true);
    const firstReplay = sub.ledger.arrivals.find((a) => a.seq > lastSeqBefore)!;
    const firstReplayMs = firstReplay.at - upAt;
    expect(firstReplayMs).toBeLessThanOrEqual(RECONNECT_MAX_MS + 5000);
    expect(firstReplay.historical).toBe(true);

    // A few more live cycles with the broker up, then stop feeding and let everything drain.
    const cyclesAtUp = feed.cycles;
    await expect.poll(() => feed.cycles, { timeout: 20_000 }).toBeGreaterThanOrEqual(cyclesAtUp + 3);
    await feed.stop();
    await sleep(1000);
    const committed = committedSeqs(daemon.lines);
    await expect.poll(() => sub.ledger.unique, { timeout: 30_000 }).toBe(committed.length);

    const report = sub.ledger.report();
    expect(committed).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    expect(report.gaps).toEqual([]);
    expect(report.seqReused).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    expect(report.maxSeq).toEqual({ '1': committed.length });
    console.info(
      `[reliability] broker outage: committed ${committed.length} (during the ${OUTAGE_MS / 1000} s outage ${committedDuringOutage}), received before ${receivedBefore}, unique ${report.unique}, duplicates ${report.duplicates}, first replay ${firstReplayMs} ms after the broker was back`,
    );

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await sub.close();
    await pair.close();
    await sc.broker.stop();
  }, 110_000);
});
