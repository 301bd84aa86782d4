import { describe, expect, it } from 'vitest';
import { evenIndices, pick } from '../../../../../trainer/report/charts/sample.js';

describe('evenIndices', () => {
  it('keeps every index when there are at most cap of them', () => {
    expect(evenIndices(4, 10)).toEqual([0, 1, 2, 3]);
    expect(evenIndices(0, 10)).toEqual([]);
  });

  it('caps a long series: ascending, distinct, first and last kept, evenly spread', () => {
    const idx = evenIndices(100_000, 1000);
    expect(idx).toHaveLength(1000);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(99_999);
    const gaps = idx.slice(1).map((v, i) => v - idx[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(101);
  });

  it('picks values at the indices', () => {
    expect(pick(Float64Array.from([5, 6, 7, 8]), evenIndices(4, 2))).toEqual([5, 8]);
  });
});
