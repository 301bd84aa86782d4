import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { payloadsOf, SampleWriter, spawnDaemon, subscribe } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { describeRequiring } from '../helpers/system-tools.js';
import { backgroundFeed, committedSeqs, isAlertLog, sleep } from './common.js';
import { reliabilityFixture, startScenario } from './scenario.js';

// Issue #7 (overflow): the broker stays away while a fast detector raises and clears alerts, until the
// outbox holds far more than `outbox.maxBytes`. The stored alert bytes stay within the bound at every read of
// the SQLite file itself during the outage (the eviction commits in the same transaction as the alert that
// needs it), the oldest alerts go, and once the broker is back the receiver sees
// the survivors in seq order plus an `evicted` record whose seq range is exactly the missing seqs.

const MAX_BYTES = 4096;
const OUTAGE_MS = 20_000;

const fixture = reliabilityFixture();

/** Stored alert payload bytes and rows, as the outbox file says (a second, read-only connection). */
function storedAlerts(file: string): { bytes: number; rows: number; largest: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const r = db
      .prepare(
        "SELECT COALESCE(SUM(bytes), 0) AS bytes, COUNT(*) AS rows, COALESCE(MAX(bytes), 0) AS largest FROM entries WHERE kind = 'alert'",
      )
      .get() as { bytes: number; rows: number; largest: number };
    return r;
  } finally {
    db.close();
  }
}

describeRequiring(['mosquitto', 'socat'], 'reliability: outbox overflow', () => {
  it('keeps the outbox within maxBytes during a long outage and announces exactly the evicted seqs', async () => {
    const sc = await startScenario(fixture, {
      name: 'overflow',
      persistentBroker: true,
      extra: {
        mqtt: { reconnectPeriodMs: 500, reconnectMaxMs: 2000, keepalive: 4 },
        outbox: { maxBytes: MAX_BYTES },
      },
    });
    const { sub, pair, config } = sc;
    const evictions = sub.ledger.evictions;
    const outboxFile = join(sc.dir, 'outbox.db');
    const daemon = spawnDaemon(config);
    await daemon.ready;
    await daemon.connected();

    const writer = new SampleWriter(pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 3, seed: 81 }));
    const feed = backgroundFeed(writer, 5000);

    await expect.poll(() => sub.ledger.unique, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await sc.broker.stop();
    await daemon.waitForLog('the disconnect', (l) => l.event === 'mqtt.disconnected');
    const lastSeqBefore = Math.max(...sub.ledger.arrivals.map((a) => a.seq));
    const committedAtStop = daemon.count(isAlertLog);

    // Sample the file while alerts pile up: the stored bytes never exceed the bound.
    let maxStored = 0;
    let maxRows = 0;
    let largest = 0;
    let overshoots = 0;
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      const s = storedAlerts(outboxFile);
      maxStored = Math.max(maxStored, s.bytes);
      maxRows = Math.max(maxRows, s.rows);
      largest = Math.max(largest, s.largest);
      if (s.bytes > MAX_BYTES) overshoots += 1;
      await sleep(250);
    }
    // Stop raising before the broker returns, so the survivors are a fixed set.
    await feed.stop();
    await sleep(1000);
    const committed = committedSeqs(daemon.lines);
    const committedDuringOutage = committed.length - committedAtStop;
    const evictedLogged = daemon.lines
      .filter((l) => l.event === 'outbox.evicted')
      .reduce((n, l) => n + Number(l.evicted), 0);
    const settled = storedAlerts(outboxFile);
    expect(maxStored).toBeGreaterThan(0);
    expect(overshoots).toBe(0);
    expect(maxStored).toBeLessThanOrEqual(MAX_BYTES);
    expect(settled.bytes).toBeGreaterThan(0);
    expect(settled.bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(evictedLogged).toBeGreaterThan(0);

    const health = await subscribe((await sc.restartBroker()).url);
    await expect.poll(() => sub.ledger.report().maxSeq['1'] ?? 0, { timeout: 20_000 }).toBe(committed.length);
    await expect.poll(() => evictions.length, { timeout: 5000 }).toBeGreaterThan(0);

    // Seqs never received = the eviction records' ranges, exactly; all evicted seqs are older than every
    // survivor of the outage (oldest first).
    const received = new Set(sub.ledger.arrivals.map((a) => a.seq));
    const missing = committed.filter((s) => !received.has(s));
    const announced = new Set<number>();
    for (const e of evictions) {
      expect(e.reason).toBe('size');
      for (let s = e.fromSeq; s <= e.toSeq; s++) announced.add(s);
    }
    expect(missing.length).toBe(evictedLogged);
    expect([...announced].sort((a, b) => a - b)).toEqual(missing);
    expect(evictions.reduce((n, e) => n + e.count, 0)).toBe(missing.length);
    expect(Math.min(...missing)).toBeGreaterThan(lastSeqBefore);
    const survivors = committed.filter((s) => s > lastSeqBefore && received.has(s));
    expect(survivors.length).toBeGreaterThan(0);
    expect(Math.max(...missing)).toBeLessThan(Math.min(...survivors));

    const report = sub.ledger.report();
    expect(report.gaps).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    expect(report.seqReused).toEqual([]);
    expect(report.malformed).toEqual([]);
    // The health report agrees with the receiver.
    await expect.poll(() => payloadsOf(health.got, 'health').at(-1), { timeout: 5000 }).toBeDefined();
    const outbox = payloadsOf(health.got, 'health').at(-1)!.sections.outbox;
    expect(outbox.evicted).toBe(missing.length);
    console.info(
      `[reliability] overflow: maxBytes ${MAX_BYTES}, committed ${committed.length} (during the ${OUTAGE_MS / 1000} s outage ${committedDuringOutage}), max stored ${maxStored} B in ${maxRows} rows (over maxBytes in ${overshoots} samples; largest alert ${largest} B), settled ${settled.bytes} B, evicted ${missing.length} (seq ${Math.min(...missing)}..${Math.max(...missing)} in ${evictions.length} record(s)), survivors replayed ${survivors.length}, duplicates ${report.duplicates}, health outbox ${JSON.stringify(outbox)}`,
    );

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await health.close();
    await sub.close();
    await pair.close();
    await sc.broker.stop();
  }, 90_000);
});
