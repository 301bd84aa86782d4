import { describe, expect, it } from 'vitest';
import type { FeatureGroup } from '../../../../../shared/features/spec.js';
import { groupError } from '../../../../../trainer/report/charts/group-error.js';
import { windowSet } from '../windows.js';

const groups: FeatureGroup[] = [
  { name: 'x/stats', channel: 0, kind: 'stats', start: 0, end: 1 },
  { name: 'y/stats', channel: 1, kind: 'stats', start: 1, end: 3 },
];

describe('groupError', () => {
  it('is the mean squared error per value of each group, over all windows', () => {
    // window 1 errors: 1 | 0, 2;  window 2 errors: 3 | 0, 0
    const normal = windowSet(
      [
        [1, 0, 2],
        [3, 5, 5],
      ],
      [
        [0, 0, 0],
        [0, 5, 5],
      ],
      [[0], [0]],
      [1, 1],
    );
    const anomalous = windowSet([[4, 4, 4]], [[0, 0, 0]], [[0]], [9]);
    const e = groupError(normal, anomalous, groups, 3);
    expect(e.groups).toEqual(['x/stats', 'y/stats']);
    expect(e.normal).toEqual([(1 + 9) / 2, 4 / 4]);
    expect(e.anomalous).toEqual([16, 16]);
  });
});
