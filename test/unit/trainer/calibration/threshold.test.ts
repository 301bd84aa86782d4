import { describe, expect, it } from 'vitest';
import { tailQuantile } from '../../../../shared/stats/pot-tail.js';
import {
  calibrateThreshold,
  exceedRate,
  quantile,
  referenceProbs,
  referenceQuantiles,
  thresholdAt,
} from '../../../../trainer/calibration/threshold.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('thresholdAt', () => {
  it('leaves at most targetFar of the scores above the threshold', () => {
    const scores = range(1000).reverse();
    const t = thresholdAt(scores, 0.005);
    expect(t).toBe(995);
    expect(exceedRate(scores, t)).toBe(0.005);
    expect(exceedRate(scores, thresholdAt(scores, 0.013))).toBeLessThanOrEqual(0.013);
  });

  it('falls back to the maximum when the holdout is smaller than 1 / targetFar', () => {
    expect(thresholdAt([3, 1, 2], 0.005)).toBe(3);
    expect(thresholdAt(range(150), 0.005)).toBe(150);
  });
});

describe('calibrateThreshold', () => {
  it('reads the threshold off the stored tail at the target rate and reports that rate with an interval', () => {
    const scores = range(500).map((i) => Math.log(501 / i)); // exponential quantiles: a smooth Exp(1) sample
    const c = calibrateThreshold(scores, 0.002);
    expect(c.method).toBe('gpd-tail');
    expect(c.threshold).toBe(tailQuantile(c.tail!, 0.002));
    expect(c.far.estimate).toBe(0.002);
    expect(c.far.lo).toBeLessThanOrEqual(0.002);
    expect(c.far.hi).toBeGreaterThanOrEqual(0.002);
    // Exp(1) at rate 0.002: ln 500 = 6.21; the largest of these 500 scores is ln 501 = 6.22.
    expect(Math.abs(c.threshold - Math.log(500))).toBeLessThan(0.5);
  });

  it('rejects non-finite scores', () => {
    expect(() => calibrateThreshold([1, Number.NaN], 0.01)).toThrow(/score 1 is NaN/);
  });
});

describe('reference quantiles', () => {
  it('uses strictly increasing probabilities from 0 to 1, denser in the tail', () => {
    const p = referenceProbs();
    expect(p.length).toBeGreaterThanOrEqual(101);
    expect(p[0]).toBe(0);
    expect(p.at(-1)).toBe(1);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]);
    expect(p.filter((v) => v >= 0.99).length).toBeGreaterThan(p.filter((v) => v < 0.1).length);
  });

  it('interpolates linearly and spans min..max of the scores', () => {
    expect(quantile(Float64Array.from([0, 10]), 0.25)).toBe(2.5);
    const q = referenceQuantiles(range(201));
    expect(q.scores[0]).toBe(1);
    expect(q.scores.at(-1)).toBe(201);
    expect(q.scores[q.probs.indexOf(0.5)]).toBe(101);
    for (let i = 1; i < q.scores.length; i++) expect(q.scores[i]).toBeGreaterThanOrEqual(q.scores[i - 1]);
  });
});
