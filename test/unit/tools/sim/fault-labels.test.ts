import { describe, expect, it } from 'vitest';
import { faultLabels } from '../../../../tools/sim/fault-labels.js';

describe('faultLabels', () => {
  it('marks exactly the rows of [start, end) of each fault, across blocks', () => {
    const truth = faultLabels(
      [
        { kind: 'imbalance', start: 0.2, end: 0.5, severity: 0.7 },
        { kind: 'looseness', start: 0.8, end: Number.POSITIVE_INFINITY, severity: 0.3 },
      ],
      10,
    );
    const lines = (truth.lines(0, 4) + truth.lines(4, 7)).trim().split('\n');
    expect(lines).toEqual(['0', '0', '1', '1', '1', '0', '0', '0', '1', '1', '1']);
  });

  it('is all zeros without faults', () => {
    expect(faultLabels([], 100).lines(10, 3)).toBe('0\n0\n0\n');
  });
});
