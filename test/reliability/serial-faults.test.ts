import { expect, it } from 'vitest';
import { encodeFrame } from '../../shared/protocol/index.js';
import { payloadsOf, SampleWriter, spawnDaemon, subscribe } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { describeRequiring } from '../helpers/system-tools.js';
import { committedSeqs, feedCyclesUntil, seededRandom, sleep } from './common.js';
import { writeRaw } from './raw-pty-writer.js';
import { reliabilityFixture, startScenario } from './scenario.js';

// Issue #7 (serial faults): the real daemon reads a socat pty while the test writes garbage bursts,
// malformed csv lines and one 1 MB line with no newline, then unplugs and replugs the pty. The daemon
// recovers without a restart (same pid, still running), the `health` topic counts what happened (bad lines,
// reconnects), and alerts raised after each fault still arrive with seq continuing and no gap.

const LONG_LINE_BYTES = 1024 * 1024;

const fixture = reliabilityFixture();

/** A scenario with 0.5 s health reports, its daemon connected, and the latest health report it published. */
async function startSerialRun(name: string, format: 'csv' | 'frames' = 'csv') {
  const scenario = await startScenario(fixture, { name, format, extra: { health: { intervalMs: 500 } } });
  const all = await subscribe(scenario.broker.url);
  const latestHealth = () => payloadsOf(all.got, 'health').at(-1);
  const daemon = spawnDaemon(scenario.config);
  await daemon.ready;
  const pid = daemon.child.pid;
  await daemon.connected();
  return { ...scenario, healthSub: all, daemon, pid, latestHealth };
}

describeRequiring(['mosquitto', 'socat'], 'reliability: serial faults', () => {
  it('survives garbage, malformed and over-long lines and an unplug, with counters and no lost alert', async () => {
    const { broker, sub, pair, healthSub, daemon, pid, latestHealth } = await startSerialRun('serial');

    let writer = new SampleWriter(pair.a, 'csv', 4);
    let seed = 3000;
    /** Feeds raise/clear cycles until `count` more alerts reached the receiver. */
    const alertsAfter = async (count: number) => {
      const target = sub.ledger.unique + count;
      seed = await feedCyclesUntil(writer, seed, () => sub.ledger.unique >= target, 3000 + 60);
    };

    await writer.write(syntheticVibration({ seconds: 3, seed: 91 }));
    await alertsAfter(2);
    const before = latestHealth();
    expect(before).toBeDefined();
    const badBefore = Number(before!.sections.frames?.bad ?? 0);

    // 1. Garbage: random bytes (newlines included, so it splits into many bad lines), then malformed lines.
    const rnd = seededRandom(7);
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rnd() * 256);
    await writeRaw(pair.a, garbage);
    await writeRaw(pair.a, Buffer.from('\nnot,a,number\n1,2\n1,2,3,4,5\n,,\n\u0000\u0001\u0002\n'));
    // 2. One 1 MB line with no newline, then the newline that ends it.
    await writeRaw(pair.a, Buffer.alloc(LONG_LINE_BYTES, '7'.charCodeAt(0)));
    await writeRaw(pair.a, Buffer.from('\n'));
    await alertsAfter(2);
    await expect
      .poll(() => Number(latestHealth()?.sections.frames?.bad ?? 0) - badBefore, { timeout: 5000 })
      .toBeGreaterThanOrEqual(5);

    // 3. Unplug (socat exits, the pty vanishes), wait until the daemon notices, replug behind the same path.
    writer.close();
    const reconnectsBefore = Number(latestHealth()!.sections.serial?.reconnects ?? 0);
    await pair.unplug();
    await daemon.waitForLog('the unplug', (l) => l.event === 'source.reconnecting', 10_000);
    await expect.poll(() => latestHealth()?.flags ?? [], { timeout: 5000 }).toContain('serialSilent');
    await sleep(1500);
    await pair.replug();
    writer = new SampleWriter(pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 2, seed: 92 }));
    await alertsAfter(2);
    await expect
      .poll(() => Number(latestHealth()?.sections.serial?.reconnects ?? 0), { timeout: 5000 })
      .toBeGreaterThan(reconnectsBefore);
    await expect.poll(() => latestHealth()?.flags ?? [], { timeout: 5000 }).not.toContain('serialSilent');

    // Same process all along, and every committed alert arrived: seq 1..N, no gap, in order.
    expect(daemon.child.pid).toBe(pid);
    expect(daemon.child.exitCode).toBeNull();
    await sleep(500);
    const committed = committedSeqs(daemon.lines);
    await expect.poll(() => sub.ledger.unique, { timeout: 10_000 }).toBe(committed.length);
    const report = sub.ledger.report();
    expect(committed).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    expect(report.gaps).toEqual([]);
    expect(report.seqReused).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    expect(report.malformed).toEqual([]);
    expect(healthSub.malformed).toEqual([]);
    const h = latestHealth()!;
    console.info(
      `[reliability] serial faults: committed ${committed.length}, unique ${report.unique}, duplicates ${report.duplicates}, bad input counted ${Number(h.sections.frames?.bad) - badBefore}, serial ${JSON.stringify(h.sections.serial)}, frames ${JSON.stringify(h.sections.frames)}`,
    );

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await healthSub.close();
    await sub.close();
    await pair.close();
    await broker.stop();
  }, 90_000);
  it('frames: survives garbage, truncated and corrupt frames and a 1 MB run without a delimiter', async () => {
    const { broker, sub, pair, healthSub, daemon, pid, latestHealth } = await startSerialRun(
      'serial-frames',
      'frames',
    );

    const writer = new SampleWriter(pair.a, 'frames', 4);
    let seed = 4000;
    const alertsAfter = async (count: number) => {
      const target = sub.ledger.unique + count;
      seed = await feedCyclesUntil(writer, seed, () => sub.ledger.unique >= target, 4000 + 60);
    };
    await writer.write(syntheticVibration({ seconds: 3, seed: 93 }));
    await alertsAfter(2);
    const badBefore = Number(latestHealth()?.sections.frames?.bad ?? 0);

    const TRUNCATED = 20;
    const rnd = seededRandom(8);
    const garbage = Buffer.alloc(16 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rnd() * 256);
    const sample = syntheticVibration({ seconds: 0.04, seed: 94 });
    const bursts: Uint8Array[] = [garbage, Uint8Array.of(0)];
    for (let i = 0; i < TRUNCATED; i++) {
      const frame = encodeFrame({
        sensorId: 1,
        seq: 1_000_000 + i,
        channels: 3,
        samples: sample,
        format: 'int16',
      });
      // Half a frame, then the delimiter: the decoder must drop it and resynchronize.
      bursts.push(frame.subarray(0, Math.floor(frame.length / 2)), Uint8Array.of(0));
    }
    const corrupt = encodeFrame({
      sensorId: 1,
      seq: 2_000_000,
      channels: 3,
      samples: sample,
      format: 'int16',
    });
    corrupt[10] = corrupt[10] === 1 ? 2 : 1; // bad CRC, COBS still valid (no 0x00 introduced)
    bursts.push(corrupt);
    bursts.push(Buffer.alloc(LONG_LINE_BYTES, 1), Uint8Array.of(0));
    for (const b of bursts) await writeRaw(pair.a, b);

    await alertsAfter(2);
    await expect
      .poll(() => Number(latestHealth()?.sections.frames?.bad ?? 0) - badBefore, { timeout: 5000 })
      .toBeGreaterThanOrEqual(TRUNCATED + 2);

    expect(daemon.child.pid).toBe(pid);
    expect(daemon.child.exitCode).toBeNull();
    await sleep(500);
    const committed = committedSeqs(daemon.lines);
    await expect.poll(() => sub.ledger.unique, { timeout: 10_000 }).toBe(committed.length);
    const report = sub.ledger.report();
    expect(committed).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    expect(report.gaps).toEqual([]);
    expect(report.seqReused).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    expect(report.malformed).toEqual([]);
    expect(healthSub.malformed).toEqual([]);
    const h = latestHealth()!;
    console.info(
      `[reliability] serial faults (frames): committed ${committed.length}, unique ${report.unique}, duplicates ${report.duplicates}, bad frames counted ${Number(h.sections.frames?.bad) - badBefore}, frames ${JSON.stringify(h.sections.frames)}`,
    );

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await healthSub.close();
    await sub.close();
    await pair.close();
    await broker.stop();
  }, 60_000);
});
