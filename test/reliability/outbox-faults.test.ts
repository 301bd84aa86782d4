import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { SqliteOutbox } from '../../device/adapters/sqlite-outbox.js';
import { uuidv7 } from '../../shared/mqtt/uuidv7.js';
import {
  DEVICE_ID,
  type LogLine,
  payloadsOf,
  SampleWriter,
  spawnDaemon,
  subscribe,
} from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { clearImmutable, setImmutable, whyNoWriteFault } from '../helpers/immutable-file.js';
import { describeRequiring } from '../helpers/system-tools.js';
import type { LedgerReport } from './alert-ledger.js';
import { backgroundFeed, committedSeqs, sleep } from './common.js';
import { reliabilityFixture, type Scenario, startScenario } from './scenario.js';

// Issue #13 (2, 3, 4): storage faults while the daemon runs, each with the real daemon process, a real
// mosquitto and the receiver-side ledger (every seq exactly once after dedup, or announced as evicted):
// - a write error that is not a full disk (the WAL made immutable with chattr +i): alerts are held in RAM
//   and published anyway, the `outboxWriteFailed` flag is raised, they are written back when writes work,
//   and a crash while the fault lasts does not make the next run reuse their seqs;
// - one damaged page among 330 pending alerts: every readable row is replayed, the unreadable seqs are
//   announced on `evicted`, seq continues at 331;
// - the outbox file deleted while the daemon runs: it is recreated with its rows and counters, so after a
//   restart nothing is lost and no seq is reused.
// chattr needs root and a filesystem that applies it to open files (ext4, not tmpfs); the write-error case
// skips, saying why, without them.

const fixture = reliabilityFixture();
// A failed run must not leave an immutable file behind that the fixture cannot remove.
afterAll(() => clearImmutable(fixture.root));
const immutable = setImmutable;
const byEvent = (event: string) => (l: LogLine) => l.event === event;
const lastHealth = (got: Awaited<ReturnType<typeof subscribe>>['got']) => payloadsOf(got, 'health').at(-1);

/** Every committed seq either arrived or lies in an announced eviction range; the ledger saw no hole or reuse. */
function expectAccounted(
  sc: Scenario,
  committed: number[],
  evicted: Array<{ fromSeq: number; toSeq: number }>,
) {
  const received = new Set(sc.sub.ledger.arrivals.map((a) => a.seq));
  const unaccounted = committed.filter(
    (s) => !received.has(s) && !evicted.some((e) => s >= e.fromSeq && s <= e.toSeq),
  );
  expect(unaccounted).toEqual([]);
  const report: LedgerReport = sc.sub.ledger.report();
  expect(report.gaps).toEqual([]);
  expect(report.seqReused).toEqual([]);
  return report;
}

function evictionsOf(sc: Scenario): Array<{ fromSeq: number; toSeq: number; count: number; reason: string }> {
  const out: Array<{ fromSeq: number; toSeq: number; count: number; reason: string }> = [];
  sc.sub.client.on('message', (topic, payload) => {
    if (topic.endsWith('/evicted')) out.push(JSON.parse(payload.toString()));
  });
  return out;
}

describeRequiring(['mosquitto', 'socat'], 'reliability: outbox storage faults while running', () => {
  it('a write error that is not a full disk: alerts held in RAM, published, flagged, written back, seqs never reused', async (ctx) => {
    const why = whyNoWriteFault(fixture.root);
    if (why) ctx.skip(why);
    const sc = await startScenario(fixture, { name: 'write-error', extra: { health: { intervalMs: 500 } } });
    const evicted = evictionsOf(sc);
    const health = await subscribe(sc.broker.url);
    const wal = join(sc.dir, 'outbox.db-wal');
    const first = spawnDaemon(sc.config);
    await first.ready;
    await first.connected();
    const writer = new SampleWriter(sc.pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 3, seed: 131 }));
    let feed = backgroundFeed(writer, 13_000);
    onTestFinished(() => feed.stop());
    await expect.poll(() => sc.sub.ledger.unique, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    // The fault: every write to the WAL fails with SQLITE_IOERR_WRITE from now on.
    immutable(wal, true);
    const before = committedSeqs(first.lines).length;
    await first.waitForLog('the write failure', byEvent('outbox.write-failed'), 20_000);
    await expect
      .poll(() => committedSeqs(first.lines).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(before + 3);
    const heldInRam = committedSeqs(first.lines).slice(before);
    // Published while the fault lasts (from RAM), with the broker connected all along.
    await expect
      .poll(() => heldInRam.every((s) => sc.sub.ledger.arrivals.some((a) => a.seq === s)), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect.poll(() => lastHealth(health.got)?.flags, { timeout: 5000 }).toContain('outboxWriteFailed');
    expect(first.count((l) => l.event === 'alert.append-failed')).toBe(0);

    // Writes work again while no alert comes: the retry timer writes back what RAM holds (and the seqs it
    // handed out) within ~2 s, the flag clears.
    await feed.stop();
    await sleep(1000);
    const quietAt = committedSeqs(first.lines).length;
    immutable(wal, false);
    const flushed = await first.waitForLog('the write-back', byEvent('outbox.ram-flushed'), 5000);
    expect(committedSeqs(first.lines).length).toBe(quietAt);
    // Only the write fault clears; the test bundle is unsigned, so bundleUnsigned stays (and nothing else).
    await expect.poll(() => lastHealth(health.got)?.flags, { timeout: 5000 }).toEqual(['bundleUnsigned']);

    // The fault again, and the process dies while it lasts: the seqs it handed out from RAM stay used.
    feed = backgroundFeed(writer, 13_100);
    immutable(wal, true);
    const beforeCrash = committedSeqs(first.lines).length;
    await expect
      .poll(() => committedSeqs(first.lines).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(beforeCrash + 2);
    first.child.kill('SIGKILL');
    await first.exit;
    immutable(wal, false);
    const firstSeqs = committedSeqs(first.lines);

    const second = spawnDaemon(sc.config);
    await second.ready;
    await expect
      .poll(() => committedSeqs(second.lines).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    await feed.stop();
    await sleep(1000);
    const all = [...firstSeqs, ...committedSeqs(second.lines)];
    expect(all).toEqual([...new Set(all)].sort((a, b) => a - b));
    expect(committedSeqs(second.lines)[0]).toBeGreaterThan(Math.max(...firstSeqs));
    await expect
      .poll(() => sc.sub.ledger.report().maxSeq['1'] ?? 0, { timeout: 15_000 })
      .toBe(Math.max(...all));
    const report = expectAccounted(sc, all, evicted);
    console.info(
      `[reliability] write error (chattr +i WAL): committed ${all.length} (${heldInRam.length} held in RAM and published during the first fault, ${flushed.flushed} still in RAM when writes worked again, written back by the retry timer without a new alert), run 2 starts at seq ${committedSeqs(second.lines)[0]}, evicted ${JSON.stringify(evicted)}, unique ${report.unique}, duplicates ${report.duplicates}, gaps 0`,
    );

    writer.close();
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
    await health.close();
    await sc.sub.close();
    await sc.pair.close();
    await sc.broker.stop();
  }, 120_000);

  it('one damaged page among 330 pending alerts: readable rows replayed, the rest announced, seq continues at 331', async () => {
    const sc = await startScenario(fixture, {
      name: 'partial-corruption',
      extra: { health: { intervalMs: 500 } },
    });
    const evicted = evictionsOf(sc);
    const file = join(sc.dir, 'outbox.db');
    const lost = prepareDamagedOutbox(file, 330);

    const daemon = spawnDaemon(sc.config);
    await daemon.ready;
    await daemon.connected();
    const salvaged = await daemon.waitForLog('the salvage', byEvent('outbox.salvaged'));
    expect(salvaged.rows).toBe(330 - lost);
    await expect.poll(() => sc.sub.ledger.unique, { timeout: 30_000 }).toBe(330 - lost);
    await expect.poll(() => evicted.length, { timeout: 5000 }).toBe(1);
    const received = new Set(sc.sub.ledger.arrivals.map((a) => a.seq));
    const missing = Array.from({ length: 330 }, (_, k) => k + 1).filter((s) => !received.has(s));
    expect(evicted[0]).toMatchObject({ fromSeq: missing[0], toSeq: missing.at(-1), count: lost });

    const writer = new SampleWriter(sc.pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 3, seed: 141 }));
    const feed = backgroundFeed(writer, 14_000);
    onTestFinished(() => feed.stop());
    await expect
      .poll(() => committedSeqs(daemon.lines).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    await feed.stop();
    await sleep(1000);
    const fresh = committedSeqs(daemon.lines);
    expect(fresh[0]).toBe(331);
    await expect.poll(() => sc.sub.ledger.unique, { timeout: 10_000 }).toBe(330 - lost + fresh.length);
    const report = expectAccounted(sc, [...Array.from({ length: 330 }, (_, k) => k + 1), ...fresh], evicted);
    expect(report.outOfOrder).toEqual([]);
    console.info(
      `[reliability] partial corruption: 330 pending, one leaf page (${lost} rows) overwritten, salvaged ${salvaged.rows}, announced ${JSON.stringify(evicted[0])}, then seq ${fresh.join(',')}`,
    );

    writer.close();
    daemon.child.kill('SIGTERM');
    expect((await daemon.exit).code).toBe(0);
    await sc.sub.close();
    await sc.pair.close();
    await sc.broker.stop();
  }, 90_000);

  it('the outbox file deleted while the daemon runs: recreated with its rows and counters, nothing lost, no seq reused', async () => {
    const sc = await startScenario(fixture, {
      name: 'deleted',
      persistentBroker: true,
      extra: { mqtt: { reconnectPeriodMs: 500, reconnectMaxMs: 2000, keepalive: 4 } },
    });
    const evicted = evictionsOf(sc);
    const first = spawnDaemon(sc.config);
    await first.ready;
    await first.connected();
    const writer = new SampleWriter(sc.pair.a, 'csv', 4);
    await writer.write(syntheticVibration({ seconds: 3, seed: 151 }));
    let feed = backgroundFeed(writer, 15_000);
    onTestFinished(() => feed.stop());
    await expect.poll(() => sc.sub.ledger.unique, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    // Broker away, so alerts wait in the outbox; then the file goes.
    await sc.broker.stop();
    await first.waitForLog('the disconnect', (l) => l.event === 'mqtt.disconnected');
    const atStop = committedSeqs(first.lines).length;
    await expect
      .poll(() => committedSeqs(first.lines).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(atStop + 3);
    rmSync(join(sc.dir, 'outbox.db'));
    const recreated = await first.waitForLog('the recreation', byEvent('outbox.recreated'), 10_000);
    const atRecreate = committedSeqs(first.lines).length;
    await expect
      .poll(() => committedSeqs(first.lines).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(atRecreate + 2);
    await feed.stop();
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);
    const stopped = first.lines.find((l) => l.event === 'daemon.stopped')!;
    expect(Number(stopped.pendingInOutbox)).toBeGreaterThanOrEqual(5);
    const firstSeqs = committedSeqs(first.lines);

    await sc.restartBroker();
    const second = spawnDaemon(sc.config);
    await second.ready;
    await second.connected();
    feed = backgroundFeed(writer, 15_100);
    await expect
      .poll(() => committedSeqs(second.lines).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    await feed.stop();
    await sleep(1000);
    const all = [...firstSeqs, ...committedSeqs(second.lines)];
    expect(all).toEqual(Array.from({ length: all.length }, (_, k) => k + 1));
    await expect.poll(() => sc.sub.ledger.unique, { timeout: 20_000 }).toBe(all.length);
    const report = expectAccounted(sc, all, evicted);
    expect(evicted).toEqual([]);
    console.info(
      `[reliability] outbox deleted while running: recreated ${JSON.stringify({ reason: recreated.reason, rows: recreated.rows })}, pending at stop ${stopped.pendingInOutbox}, committed ${all.length} over two runs, unique ${report.unique}, duplicates ${report.duplicates}, gaps 0, reused 0`,
    );

    writer.close();
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
    await sc.sub.close();
    await sc.pair.close();
    await sc.broker.stop();
  }, 120_000);
});

/**
 * Writes `count` pending alerts of sensor 1 (bodies like the daemon's) with the real outbox, then overwrites
 * a middle leaf page of `entries`; returns how many rows that page held.
 */
function prepareDamagedOutbox(file: string, count: number): number {
  const t0 = Date.now();
  const outbox = new SqliteOutbox({
    path: file,
    bounds: { maxBytes: 64 << 20, maxAgeMs: 30 * 86_400_000 },
    newId: () => uuidv7(Date.now()),
    ramBufferMax: 10,
  });
  for (let i = 1; i <= count; i++) {
    outbox.append({
      sensorId: 1,
      createdAt: t0 + i,
      body: {
        deviceId: DEVICE_ID,
        sensorId: '1',
        kind: i % 2 ? 'raised' : 'cleared',
        score: 10 + i / 7,
        threshold: 1.4559,
        pValue: 0.0068,
        windowStart: new Date(t0 + i).toISOString(),
        windowEnd: new Date(t0 + i + 640).toISOString(),
        bundleId: 'thrum-reliability',
        modelVariant: 'int8',
        contributions: [{ group: 'x/stats', share: 0.4 }],
      },
    });
  }
  outbox.close();
  const db = new Database(file);
  const leaves = db
    .prepare("SELECT pageno, ncell FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' ORDER BY path")
    .all() as Array<{ pageno: number; ncell: number }>;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const leaf = leaves[leaves.length >> 1]!;
  const bytes = readFileSync(file);
  bytes.fill(0xa5, (leaf.pageno - 1) * pageSize, leaf.pageno * pageSize);
  writeFileSync(file, bytes);
  return leaf.ncell;
}
