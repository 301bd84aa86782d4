import { describe, expect, it } from 'vitest';
import {
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
