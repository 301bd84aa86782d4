import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { type LogLine, SampleWriter, spawnDaemon } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { describeRequiring } from '../helpers/system-tools.js';
import { backgroundFeed, committedSeqs, seededRandom, sleep } from './common.js';
import { reliabilityFixture, startScenario } from './scenario.js';

// Issue #7 (3): the daemon is SIGKILLed at seeded random moments (during start-up as well as while alerts
// are being committed and published) 10 times and restarted each time. Nothing committed is lost, and the
// seq counter continues from the database: no seq is ever given to two alerts.

const KILLS = 10;
const SEED = 7;

const fixture = reliabilityFixture();

describeRequiring(['mosquitto', 'socat'], 'reliability: crash loop', () => {
  it(`loses nothing over ${KILLS} SIGKILLs at seeded random moments`, async () => {
    const { broker, sub, pair, dir, config } = await startScenario(fixture, {
      name: 'crash-loop',
      extra: { mqtt: { reconnectPeriodMs: 200, reconnectMaxMs: 1000 } },
    });

    const writer = new SampleWriter(pair.a, 'csv', 4);
    const feed = backgroundFeed(writer, 3000, syntheticVibration({ seconds: 2, seed: 91 }));

    const random = seededRandom(SEED);
    const runs: LogLine[][] = [];
    const delays: number[] = [];
    let killedBeforeReady = 0;
    for (let i = 0; i < KILLS; i++) {
      const daemon = spawnDaemon(config);
      let ready = false;
      daemon.ready.then(
        () => {
          ready = true;
        },
        () => {}, // killed before ready: counted below
      );
      // Even runs die at a random moment counted from the spawn (often during start-up); odd runs from
      // `ready`, so at least half of them get to commit and publish alerts however slow start-up is.
      const delay = Math.round(300 + random() * 4000);
      delays.push(delay);
      if (i % 2 === 1) await daemon.ready;
      await sleep(delay);
      daemon.child.kill('SIGKILL');
      expect(await daemon.exit).toEqual({ code: null, signal: 'SIGKILL' });
      if (!ready) killedBeforeReady += 1;
      runs.push(daemon.lines);
    }

    const last = spawnDaemon(config);
    await last.ready;
    const cyclesAtLast = feed.cycles;
    await expect.poll(() => feed.cycles, { timeout: 20_000 }).toBeGreaterThanOrEqual(cyclesAtLast + 3);
    await feed.stop();
    await sleep(1000);
    runs.push(last.lines);

    // Seqs as each run logged them (after its INSERT committed): strictly increasing across restarts.
    const logged = runs.flatMap((lines) => committedSeqs(lines));
    expect(logged.length).toBeGreaterThanOrEqual(KILLS);
    expect(logged).toEqual([...logged].sort((a, b) => a - b));
    expect(new Set(logged).size).toBe(logged.length);
    const maxLogged = Math.max(...logged);
    // A run killed between its INSERT and its log line committed seqs nobody logged: the receiver's count
    // goes by the highest seq, which every earlier one must reach.
    await expect
      .poll(() => sub.ledger.report().maxSeq['1'] ?? 0, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(maxLogged);
    const maxSeq = sub.ledger.report().maxSeq['1']!;
    await expect.poll(() => sub.ledger.unique, { timeout: 30_000 }).toBe(maxSeq);

    last.child.kill('SIGTERM');
    expect((await last.exit).code).toBe(0);
    const db = new Database(join(dir, 'outbox.db'), { readonly: true });
    const left = db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'alert'").get() as { n: number };
    db.close();
    expect(left.n).toBe(0);

    const report = sub.ledger.report();
    console.info(
      `[reliability] crash loop (seed ${SEED}): ${KILLS} kills after ${delays.join(', ')} ms (${killedBeforeReady} before ready), committed seq 1..${maxSeq} (${logged.length} logged), unique ${report.unique}, duplicates ${report.duplicates}`,
    );
    expect(report.gaps).toEqual([]);
    expect(report.seqReused).toEqual([]);
    expect(report.outOfOrder).toEqual([]);

    writer.close();
    await sub.close();
    await pair.close();
    await broker.stop();
  }, 150_000);
});
