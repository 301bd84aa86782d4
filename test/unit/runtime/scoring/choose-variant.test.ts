import { describe, expect, it } from 'vitest';
import { chooseVariant } from '../../../../runtime/scoring/choose-variant.js';
import { expectedBatchSize } from '../../../../runtime/scoring/expected-batch.js';

const good = { spearmanHoldout: 0.999, thresholdShift: 0.02 };
// At batch 1 on the AVX2-only EPYC: int8 0.80x fp32 (slower).
const batch1 = { batchSize: 1, int8UsPerWindow: 40, fp32UsPerWindow: 32 };
const int8Faster = { batchSize: 64, int8UsPerWindow: 1.2, fp32UsPerWindow: 1.4 };

describe('chooseVariant', () => {
  it('picks the cheaper variant at the given batch size when parity is good', () => {
    expect(chooseVariant(batch1, good)).toEqual({
      variant: 'fp32',
      reason: 'fp32 faster at batch 1 (32.00 vs 40.00 µs/window)',
    });
    expect(chooseVariant(int8Faster, good)).toEqual({
      variant: 'int8',
      reason: 'int8 faster at batch 64 (1.20 vs 1.40 µs/window)',
    });
  });

  it('gives a tie to int8', () => {
    expect(chooseVariant({ batchSize: 8, int8UsPerWindow: 5, fp32UsPerWindow: 5 }, good).variant).toBe(
      'int8',
    );
  });

  it('refuses a faster int8 whose holdout Spearman is under 0.99, printing the figure without rounding up', () => {
    expect(chooseVariant(int8Faster, { spearmanHoldout: 0.82, thresholdShift: 0 })).toEqual({
      variant: 'fp32',
      reason: 'int8 parity 0.8200 < 0.99',
    });
    expect(chooseVariant(int8Faster, { spearmanHoldout: 0.98996, thresholdShift: 0 }).reason).toBe(
      'int8 parity 0.9899 < 0.99',
    );
    expect(chooseVariant(int8Faster, { spearmanHoldout: 0.99, thresholdShift: 0 }).variant).toBe('int8');
  });

  it('refuses a faster int8 whose threshold moved more than 5 % either way', () => {
    expect(chooseVariant(int8Faster, { spearmanHoldout: 0.999, thresholdShift: 0.073 })).toEqual({
      variant: 'fp32',
      reason: 'int8 threshold shift 7.3 % > 5 %',
    });
    expect(chooseVariant(int8Faster, { spearmanHoldout: 0.999, thresholdShift: -0.06 }).variant).toBe('fp32');
    expect(chooseVariant(int8Faster, { spearmanHoldout: 0.999, thresholdShift: -0.05 }).variant).toBe('int8');
  });

  it('treats a NaN parity (constant scores) as poor', () => {
    expect(chooseVariant(int8Faster, { spearmanHoldout: Number.NaN, thresholdShift: 0 }).variant).toBe(
      'fp32',
    );
  });

  it('decides by speed when parity is unknown, and says so', () => {
    expect(chooseVariant(int8Faster, undefined)).toEqual({
      variant: 'int8',
      reason: 'int8 faster at batch 64 (1.20 vs 1.40 µs/window); int8 parity unknown',
    });
    expect(chooseVariant(batch1, undefined).variant).toBe('fp32');
  });
});

describe('expectedBatchSize', () => {
  const real = { sampleRate: 3200, hop: 512, sensors: 1, maxDelayMs: 0, maxBatch: 64 };

  it('is 1 at a real sensor rate with maxDelayMs 0, even for a slow call', () => {
    expect(expectedBatchSize(real, 30)).toBe(1);
    expect(expectedBatchSize(real, 100_000)).toBe(1);
  });

  it('grows with maxDelayMs, the sensors sharing the engine and the call time', () => {
    // 6.25 windows/s over 1 s of waiting: 7.25 -> 7.
    expect(expectedBatchSize({ ...real, maxDelayMs: 1000 }, 0)).toBe(7);
    // 10 sensors: 62.5 windows/s over 0.2 s: 13.5 -> 13.
    expect(expectedBatchSize({ ...real, sensors: 10, maxDelayMs: 200 }, 0)).toBe(13);
    // A 0.5 s call at 62.5 windows/s lets 31 more pile up.
    expect(expectedBatchSize({ ...real, sensors: 10 }, 500_000)).toBe(32);
  });

  it('never exceeds maxBatch', () => {
    expect(expectedBatchSize({ ...real, sensors: 100, maxDelayMs: 5000, maxBatch: 16 }, 30)).toBe(16);
  });
});
