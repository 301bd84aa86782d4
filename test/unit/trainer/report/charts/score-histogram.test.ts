import { describe, expect, it } from 'vitest';
import { binShares, logEdges, scoreHistogram } from '../../../../../trainer/report/charts/score-histogram.js';
import { windowSet } from '../windows.js';

describe('score histogram', () => {
  it('log-spaced edges span every positive value; zero and negative values are ignored', () => {
    const edges = logEdges([0, -1, 0.01, 3, 100], 4);
    expect(edges).toHaveLength(5);
    expect(edges[0]).toBeCloseTo(0.01, 12);
    expect(edges[4]).toBeCloseTo(100, 10);
    expect(edges[1] / edges[0]).toBeCloseTo(10, 10);
  });

  it('widens a single value into a range', () => {
    const edges = logEdges([2, 2], 2);
    expect(edges[0]).toBeLessThan(2);
    expect(edges[2]).toBeGreaterThan(2);
  });

  it('shares are % of the positive values per bin; the top edge falls in the last bin', () => {
    const edges = [1, 10, 100];
    expect(binShares([1, 5, 10, 100], edges)).toEqual([50, 50]);
    expect(binShares([0, 2], edges)).toEqual([100, 0]);
  });

  it('one series per window set and variant, on edges that include both thresholds', () => {
    const normal = windowSet([[0]], [[0]], [[0]], [0.5, 1, 1.2]);
    const anomalous = windowSet([[0]], [[0]], [[0]], [40, 80]);
    const h = scoreHistogram(normal, anomalous, { fp32: 1.5, int8: 1.6 });
    expect(h.series.map((s) => `${s.windows}/${s.variant}`)).toEqual([
      'normal/fp32',
      'normal/int8',
      'anomalous/fp32',
      'anomalous/int8',
    ]);
    for (const s of h.series) expect(s.share.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    expect(h.edges[0]).toBeLessThanOrEqual(0.5);
    expect(h.edges.at(-1)).toBeGreaterThanOrEqual(80.8);
    expect(h.thresholds).toEqual({ fp32: 1.5, int8: 1.6 });
  });
});
