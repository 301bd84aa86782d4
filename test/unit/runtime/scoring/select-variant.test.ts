import { describe, expect, it } from 'vitest';
import type { InferenceEngine } from '../../../../runtime/scoring/inference-engine.js';
import { measurePerWindowUs } from '../../../../runtime/scoring/measure.js';
import { selectVariant } from '../../../../runtime/scoring/select-variant.js';
import type { ModelVariant } from '../../../../shared/bundle/manifest.js';
import type { Log } from '../../../../shared/log.js';
import { fakeEngine } from './fake-engine.js';

/** A clock that only moves when an engine runs: each run of `variant` costs costMs[variant]. */
function setup(costMs: Record<ModelVariant, number>) {
  let t = 0;
  const engines = {
    int8: fakeEngine(4, (x) => x),
    fp32: fakeEngine(4, (x) => x),
  };
  for (const v of ['int8', 'fp32'] as const) {
    const run = engines[v].run;
    engines[v].run = async (batch, n) => {
      t += costMs[v];
      return run(batch, n);
    };
  }
  const opened: ModelVariant[] = [];
  const open = async (v: ModelVariant): Promise<InferenceEngine> => {
    opened.push(v);
    return engines[v];
  };
  const logs: { fields: object; message: string }[] = [];
  const info = (fields: object, message: string) => logs.push({ fields, message });
  const logger: Log = { debug: () => {}, info, warn: info, error: info };
  return { engines, open, opened, logs, logger, now: () => t };
}

describe('measurePerWindowUs', () => {
  it('divides the timed batches’ duration by the windows they held', async () => {
    const s = setup({ int8: 0.064, fp32: 0 });
    const us = await measurePerWindowUs(s.engines.int8, {
      batches: 10,
      batchSize: 64,
      warmup: 3,
      now: s.now,
    });
    expect(us).toBeCloseTo(1, 9);
    expect(s.engines.int8.runs).toBe(13);
  });
});

describe('selectVariant', () => {
  it('opens only the requested variant when one is named', async () => {
    const s = setup({ int8: 1, fp32: 1 });
    const choice = await selectVariant('fp32', s.open, s.logger);
    expect(choice.variant).toBe('fp32');
    expect(s.opened).toEqual(['fp32']);
    expect(s.engines.fp32.runs).toBe(0);
  });

  it.each([
    { costs: { int8: 0.064, fp32: 0.32 }, want: 'int8', other: 'fp32' },
    { costs: { int8: 0.5, fp32: 0.1 }, want: 'fp32', other: 'int8' },
  ] as const)(
    'auto keeps the faster ($want), closes the other and logs both figures',
    async ({ costs, want, other }) => {
      const s = setup(costs);
      const choice = await selectVariant('auto', s.open, s.logger, {
        measure: { batches: 5, batchSize: 64, now: s.now },
      });
      expect(choice.variant).toBe(want);
      expect(choice.engine).toBe(s.engines[want]);
      expect(s.engines[other].closed).toBe(true);
      expect(s.engines[want].closed).toBe(false);
      expect(choice.perWindowUs?.int8).toBeCloseTo((costs.int8 * 1000) / 64, 6);
      expect(choice.perWindowUs?.fp32).toBeCloseTo((costs.fp32 * 1000) / 64, 6);
      expect(s.logs).toHaveLength(1);
      expect(s.logs[0].fields).toMatchObject({
        event: 'model.variant.selected',
        variant: want,
        int8UsPerWindow: expect.any(Number),
        fp32UsPerWindow: expect.any(Number),
        batchSize: 64,
        reason: `${want} faster at batch 64 (${want === 'int8' ? '1.00 vs 5.00' : '1.56 vs 7.81'} µs/window); int8 parity unknown`,
      });
      expect(choice.reason).toBe((s.logs[0].fields as { reason: string }).reason);
    },
  );

  /** A per-call overhead (like ORT's ~30 µs) plus a per-window cost: batch 1 and batch 64 rank them differently. */
  function setupCalls(cost: Record<ModelVariant, { callMs: number; windowMs: number }>) {
    const s = setup({ int8: 0, fp32: 0 });
    let t = 0;
    const batchSizes: number[] = [];
    for (const v of ['int8', 'fp32'] as const) {
      const run = s.engines[v].run;
      s.engines[v].run = async (batch, n) => {
        batchSizes.push(n);
        t += cost[v].callMs + n * cost[v].windowMs;
        return run(batch, n);
      };
    }
    return { ...s, batchSizes, now: () => t };
  }
  // int8: 0.04 ms per call + 0.001 ms per window; fp32: 0.03 + 0.002. At 1: int8 41 µs, fp32 32 µs. At 64:
  // int8 1.63 µs/window, fp32 2.47: the throughput figure alone would pick int8.
  const costs = { int8: { callMs: 0.04, windowMs: 0.001 }, fp32: { callMs: 0.03, windowMs: 0.002 } };
  const realRate = { sampleRate: 3200, hop: 512, sensors: 1, maxDelayMs: 0, maxBatch: 64 };

  it('auto at a real sensor rate decides at batch 1, where fp32 wins here, and logs batch 64 too', async () => {
    const s = setupCalls(costs);
    const choice = await selectVariant('auto', s.open, s.logger, {
      measure: { batches: 5, warmup: 0, now: s.now },
      workload: realRate,
      parity: { spearmanHoldout: 0.999, thresholdShift: 0.01 },
    });
    expect(choice.variant).toBe('fp32');
    expect(choice.batchSize).toBe(1);
    expect(choice.perWindowUs?.int8).toBeCloseTo(41, 6);
    expect(choice.perWindowUs?.fp32).toBeCloseTo(32, 6);
    expect(new Set(s.batchSizes)).toEqual(new Set([1, 64]));
    expect(s.logs[0].fields).toMatchObject({
      batchSize: 1,
      int8UsPerWindow: 41,
      fp32UsPerWindow: 32,
      int8UsPerWindowAt64: 1.63,
      fp32UsPerWindowAt64: 2.47,
      reason: 'fp32 faster at batch 1 (32.00 vs 41.00 µs/window)',
    });
  });

  it('auto with a long maxDelayMs decides at the batch that fills meanwhile', async () => {
    const s = setupCalls(costs);
    // 6.25 windows/s x 2 s = 12.5 more windows: batch 13, where int8 (4.08 µs) beats fp32 (4.31 µs).
    const choice = await selectVariant('auto', s.open, s.logger, {
      measure: { batches: 5, warmup: 0, now: s.now },
      workload: { ...realRate, maxDelayMs: 2000 },
    });
    expect(choice.batchSize).toBe(13);
    expect(choice.variant).toBe('int8');
  });

  it('auto refuses int8 with poor parity even where it is faster, and says why', async () => {
    const s = setup({ int8: 0.064, fp32: 0.32 });
    const choice = await selectVariant('auto', s.open, s.logger, {
      measure: { batches: 5, batchSize: 64, now: s.now },
      parity: { spearmanHoldout: 0.82, thresholdShift: 0 },
    });
    expect(choice.variant).toBe('fp32');
    expect(s.engines.int8.closed).toBe(true);
    expect(choice.reason).toBe('int8 parity 0.8200 < 0.99');
    expect(s.logs[0].fields).toMatchObject({ variant: 'fp32', reason: 'int8 parity 0.8200 < 0.99' });
  });

  it('closes the first engine when the second cannot be opened', async () => {
    const s = setup({ int8: 1, fp32: 1 });
    const failing = async (v: ModelVariant) => {
      if (v === 'fp32') throw new Error('fp32 missing');
      return s.open(v);
    };
    await expect(selectVariant('auto', failing, s.logger)).rejects.toThrow('fp32 missing');
    expect(s.engines.int8.closed).toBe(true);
  });
});
