import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { payloadsOf, SampleWriter, spawnDaemon, subscribe, tempDir } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { describeRequiring } from '../helpers/system-tools.js';
import { backgroundFeed, committedSeqs, isAlertLog, sleep } from './common.js';
import { reliabilityFixture, startScenario } from './scenario.js';

// Issue #7 (disk full at the daemon level): the outbox lives on a 512 KiB tmpfs. With the broker down, the
// test fills the tmpfs to the last byte and keeps raising alerts: the daemon says the disk is full, holds new
// alerts in RAM and keeps running. When space and the broker return, the RAM-held alerts are written and
// every committed alert arrives: seq 1..N, no gap, in order. Needs root (mount); skips, saying why, without.

const fixture = reliabilityFixture();
const tmp = tempDir();
const disk = join(tmp.dir, 'disk');
let mounted = false;
let whyNot = '';

beforeAll(async () => {
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', disk], { stdio: 'pipe' });
    mounted = true;
  } catch (e) {
    whyNot = `cannot mount a tmpfs (needs root): ${(e as Error).message.split('\n')[0]}`;
  }
}, 60_000);
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', disk]);
  tmp.remove();
});

/** Writes zeros to `file` until the filesystem refuses (ENOSPC); returns the bytes written. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return written;
}

describeRequiring(['mosquitto', 'socat'], 'reliability: disk full', () => {
  it('holds alerts in RAM while the outbox disk is full and loses none when space returns', async (ctx) => {
    if (!mounted) ctx.skip(whyNot);
    const sc = await startScenario(fixture, {
      name: 'diskfull',
      persistentBroker: true,
      extra: {
        mqtt: { reconnectPeriodMs: 500, reconnectMaxMs: 2000, keepalive: 4 },
        outbox: { path: join(disk, 'outbox.db'), ramBufferMax: 1000 },
        health: { intervalMs: 500 },
      },
    });
    const { sub, pair, config } = sc;
    const daemon = spawnDaemon(config);
    await daemon.ready;
    const pid = daemon.child.pid;
    await daemon.connected();

    const writer = new SampleWriter(pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 3, seed: 61 }));
    const feed = backgroundFeed(writer, 6000);
    await expect.poll(() => sub.ledger.unique, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    await sc.broker.stop();
    await daemon.waitForLog('the disconnect', (l) => l.event === 'mqtt.disconnected');
    const filler = join(disk, 'filler');
    const filled = fillDisk(filler);
    const fullAt = daemon.count(isAlertLog);
    await daemon.waitForLog('the disk-full warning', (l) => l.event === 'outbox.disk-full', 30_000);
    // A few more alerts while full, so some are certainly held in RAM.
    await expect.poll(() => daemon.count(isAlertLog), { timeout: 20_000 }).toBeGreaterThanOrEqual(fullAt + 6);
    expect(daemon.child.pid).toBe(pid);
    expect(daemon.child.exitCode).toBeNull();

    // Space returns while the broker is still away and no alert follows: the daemon's retry timer (every 2 s
    // while alerts wait in RAM) writes them to disk; it does not wait for the next alert.
    await feed.stop();
    await sleep(1000);
    const quietAt = daemon.count(isAlertLog);
    rmSync(filler);
    await daemon.waitForLog('the disk-space-back line', (l) => l.event === 'outbox.ram-flushed', 10_000);
    expect(daemon.count(isAlertLog)).toBe(quietAt);
    const flushed = Number(daemon.lines.find((l) => l.event === 'outbox.ram-flushed')!.flushed);

    const health = await subscribe((await sc.restartBroker()).url);
    const committed = committedSeqs(daemon.lines);
    await expect.poll(() => sub.ledger.unique, { timeout: 30_000 }).toBe(committed.length);
    await expect
      .poll(() => payloadsOf(health.got, 'health').at(-1)?.flags, {
        timeout: 5000,
      })
      // The disk flag clears; the test bundle is unsigned, so bundleUnsigned stays (and nothing else).
      .toEqual(['bundleUnsigned']);

    const report = sub.ledger.report();
    expect(committed).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    expect(report.gaps).toEqual([]);
    expect(report.seqReused).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    console.info(
      `[reliability] disk full: tmpfs 512 KiB, filler ${filled} B, committed ${committed.length} (${quietAt - fullAt} while the disk was full), RAM-held alerts written to disk when space returned ${flushed}, unique ${report.unique}, duplicates ${report.duplicates}, gaps 0`,
    );

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await health.close();
    await sub.close();
    await pair.close();
    await sc.broker.stop();
  }, 60_000);
});
