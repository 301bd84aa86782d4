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
      const choice = await selectVariant('auto', s.open, s.logger, { batches: 5, batchSize: 64, now: s.now });
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
      });
    },
  );

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
