import { expect, it } from 'vitest';
import { isConnectedLog, type LogLine, SampleWriter, spawnDaemon } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { describeRequiring } from '../helpers/system-tools.js';
import { backgroundFeed, committedSeqs, isAlertLog, sleep } from './common.js';
import { reliabilityFixture, startScenario } from './scenario.js';

// Issue #7 (2): the broker hangs (SIGSTOP) with the TCP connection still open, as on a silently dead
// network path. The daemon must notice within 1.5 x keepalive on its own (no FIN, no RST arrives), keep
// committing alerts, and after the broker resumes every alert reaches the subscriber.

const KEEPALIVE_S = 4;

/** pino's `time` of a log line in ms (epoch number or ISO string, depending on the logger's options). */
const logTime = (l: LogLine) => (typeof l.time === 'number' ? l.time : Date.parse(String(l.time)));

const fixture = reliabilityFixture();

describeRequiring(['mosquitto', 'socat'], 'reliability: silent network loss', () => {
  it('notices a hung broker within 1.5 x keepalive and loses nothing after it resumes', async () => {
    const { broker, sub, pair, config } = await startScenario(fixture, {
      name: 'silent',
      extra: { mqtt: { reconnectPeriodMs: 500, reconnectMaxMs: 2000, keepalive: KEEPALIVE_S } },
    });
    const daemon = spawnDaemon(config);
    await daemon.ready;
    await daemon.connected();

    // Alerts, score summaries and health reports keep flowing while the broker hangs: outgoing traffic
    // must not hide the missing answers from the keepalive check.
    const writer = new SampleWriter(pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 3, seed: 81 }));
    const feed = backgroundFeed(writer, 2000);
    await expect.poll(() => sub.ledger.unique, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    const pausedAt = Date.now();
    broker.pause();
    const lost = await daemon.waitForLog(
      'the daemon to notice the hung broker',
      (l) => l.event === 'mqtt.disconnected',
      KEEPALIVE_S * 1000 * 3,
    );
    const detectMs = logTime(lost) - pausedAt;
    const committedWhileHung = () => daemon.count(isAlertLog);
    const atDetect = committedWhileHung();
    await expect.poll(committedWhileHung, { timeout: 15_000 }).toBeGreaterThanOrEqual(atDetect + 6);
    broker.resume();
    const resumedAt = Date.now();

    const cyclesAtResume = feed.cycles;
    await expect.poll(() => feed.cycles, { timeout: 20_000 }).toBeGreaterThanOrEqual(cyclesAtResume + 2);
    await feed.stop();
    await sleep(1000);
    const committed = committedSeqs(daemon.lines);
    await expect.poll(() => sub.ledger.unique, { timeout: 30_000 }).toBe(committed.length);
    const reconnect = daemon.lines.filter(isConnectedLog)[1];
    const report = sub.ledger.report();
    console.info(
      `[reliability] silent loss: detected after ${detectMs} ms (1.5 x keepalive = ${KEEPALIVE_S * 1500} ms), reconnected ${reconnect ? logTime(reconnect) - resumedAt : 'n/a'} ms after resume, committed ${committed.length}, unique ${report.unique}, duplicates ${report.duplicates}`,
    );
    // mqtt.js declares the connection dead 1.5 x keepalive after the last packet it received, which was at
    // or before the pause; 250 ms covers its 2 s timer tick landing late on a loaded 2-core machine.
    expect(detectMs).toBeLessThanOrEqual(KEEPALIVE_S * 1500 + 250);
    expect(committed).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    expect(report.gaps).toEqual([]);
    expect(report.seqReused).toEqual([]);
    expect(report.outOfOrder).toEqual([]);

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await sub.close();
    await pair.close();
    await broker.stop();
  }, 90_000);
});
