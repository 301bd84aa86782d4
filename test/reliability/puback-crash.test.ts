import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import type { FailpointName } from '../../device/failpoint.js';
import { crashAtFailpoint, SampleWriter, spawnDaemon } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';
import { describeRequiring } from '../helpers/system-tools.js';
import { reliabilityFixture, startScenario } from './scenario.js';

// Issue #7 (4): SIGKILL after the broker's PUBACK and before the outbox row is deleted. The alert was
// delivered but the device does not know it: after a restart it goes again with the same alertId (one
// duplicate, no loss) and the next alert gets the next seq.
// The failpoint `after-puback-before-delete` (device/failpoint.ts) fires in device/publisher/alert-publisher.ts
// just before `outbox.ack(entry.id)`.
const FAILPOINT: FailpointName = 'after-puback-before-delete';

const fixture = reliabilityFixture();

describeRequiring(['mosquitto', 'socat'], 'reliability: crash between PUBACK and delete', () => {
  it('SIGKILL after the PUBACK, before the delete: a duplicate after restart, never a loss', async () => {
    const { broker, sub, pair, dir, config } = await startScenario(fixture, { name: 'puback' });

    const { exited, writer } = await crashAtFailpoint(config, pair.a, FAILPOINT, 41);
    expect(exited).toEqual({ code: null, signal: 'SIGKILL' });

    // Delivered (the broker acked it, so the subscriber has it) and still in the outbox.
    await expect.poll(() => sub.ledger.unique, { timeout: 10_000 }).toBe(1);
    const delivered = sub.ledger.arrivals[0]!;
    expect(delivered.seq).toBe(1);
    const db = new Database(join(dir, 'outbox.db'), { readonly: true });
    const rows = db.prepare("SELECT id, seq FROM entries WHERE kind = 'alert'").all() as Array<{
      id: string;
      seq: number;
    }>;
    db.close();
    expect(rows).toEqual([{ id: delivered.alertId, seq: 1 }]);

    const second = spawnDaemon(config);
    await second.ready;
    await expect.poll(() => sub.ledger.arrivals.length, { timeout: 15_000 }).toBe(2);
    expect(sub.ledger.arrivals[1]!.alertId).toBe(delivered.alertId);

    const writer2 = new SampleWriter(pair.a, 'csv');
    await writer2.write(syntheticVibration({ seconds: 2, seed: 43 }));
    await writer2.write(syntheticVibration({ seconds: 2, seed: 44, fault: 'gain' }));
    await expect.poll(() => sub.ledger.unique, { timeout: 15_000 }).toBe(2);
    const report = sub.ledger.report();
    console.info(
      `[reliability] puback crash: unique ${report.unique}, duplicates ${report.duplicates}, max seq ${report.maxSeq['1']}`,
    );
    expect(report).toMatchObject({
      duplicates: 1,
      maxSeq: { '1': 2 },
      gaps: [],
      seqReused: [],
      outOfOrder: [],
    });

    writer.close();
    writer2.close();
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
    await sub.close();
    await pair.close();
    await broker.stop();
  }, 90_000);
});
