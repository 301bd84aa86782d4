import { describe, expect, it } from 'vitest';
import { spearman } from '../../../../trainer/calibration/spearman.js';

describe('spearman', () => {
  it('is 1 for any monotone increasing relation and -1 for a decreasing one', () => {
    const x = [0.1, 5, 2, 9, 3];
    expect(
      spearman(
        x,
        x.map((v) => Math.exp(v)),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        x,
        x.map((v) => -(v ** 3)),
      ),
    ).toBeCloseTo(-1, 12);
  });

  it('averages tied ranks (known value)', () => {
    // ranks a: 1, 2.5, 2.5, 4; b: 1, 2, 3, 4 -> r = 4.5 / sqrt(4.5 * 5)
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });

  it('drops below 1 when one pair swaps order', () => {
    expect(spearman([1, 2, 3, 4, 5], [1, 2, 4, 3, 5])).toBeCloseTo(0.9, 12);
  });
});
