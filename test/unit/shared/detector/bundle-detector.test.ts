import { describe, expect, it } from 'vitest';
import type { DetectorRule, VariantCalibration } from '../../../../shared/bundle/manifest.js';
import { bundleDetector } from '../../../../shared/detector/config.js';
import { ThrumError } from '../../../../shared/errors.js';

const rule: DetectorRule = { k: 3, n: 5, clearRatio: 0.8, minClearWindows: 5, cooldownWindows: 10 };
const reference = { probs: [0, 0.5, 1], scores: [0.1, 0.5, 2], count: 100 };
const variant = (threshold: number): VariantCalibration => ({ threshold, targetFar: 0.005, reference });
const manifest = { detector: rule, variants: { fp32: variant(1.5), int8: variant(1.6) } };

describe('bundleDetector (the one merge of detector overrides)', () => {
  it("takes the bundle's rule and the chosen variant's threshold when nothing is overridden", () => {
    const d = bundleDetector(manifest, 'int8');
    expect(d.rule).toEqual(rule);
    expect(d.threshold).toBe(1.6);
    expect(d.clearLevel).toBeCloseTo(0.8 * 1.6, 12);
    expect(d.reference).toBe(reference);
  });

  it('applies the overrides it is given and keeps the bundle value for undefined ones', () => {
    const d = bundleDetector(manifest, 'fp32', { k: 2, n: undefined, clearPeakRatio: 0.1, threshold: 3 });
    expect(d.rule).toEqual({ ...rule, k: 2, clearPeakRatio: 0.1 });
    expect(d.threshold).toBe(3);
    expect(d.reference).toBe(reference);
  });

  it('refuses overrides that cannot work with the bundle, naming the key', () => {
    const error = (() => {
      try {
        bundleDetector(manifest, 'int8', { k: 7 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ThrumError);
    expect(error).toMatchObject({ code: 'BAD_CONFIG' });
    expect((error as Error).message).toMatch(/detector\.k \(7\) is larger than detector\.n \(5\)/);
  });
});
