import { expect, it } from 'vitest';
import { runCwru } from '../../../eval/cwru/bench.js';
import { cwruRecords } from '../../../eval/cwru/dataset.js';
import { describeWithDataset } from './with-dataset.js';

describeWithDataset('cwru', 'CWRU benchmark (int8, streamed as on the device)', (dir) => {
  it('trains on 60 % of record 097, stays quiet on the other 40 % and alerts on every fault record', async () => {
    const result = await runCwru(dir, ['int8']);
    const int8 = result.variants.int8;
    if (!int8) throw new Error('no int8 result');
    const records = cwruRecords(dir);
    expect(int8.rows.map((r) => r.id)).toEqual([
      '097_Normal_0hp_48k',
      ...records.filter((r) => r.label === 'fault').map((r) => r.id),
    ]);
    const normal = int8.rows[0];
    // 40 % of 243,938 samples in windows of 1024, hop 512.
    expect(normal.windows).toBe(Math.floor((243_938 - Math.floor(243_938 * 0.6) - 1024) / 512) + 1);
    expect(normal.flaggedShare).toBeLessThanOrEqual(0.005);
    expect(normal.alerts).toBe(0);
    for (const r of int8.rows.slice(1)) expect(r.alerts, r.id).toBeGreaterThan(0);
    expect(int8.targetMet).toBe(true);
  }, 60_000);
});
