import type { FeatureGroup } from '../../../shared/features/spec.js';
import type { GroupError } from '../chart-data.js';
import type { WindowSet } from '../report-input.js';

/** Mean squared error per value of each group's slice, over every window of the set. */
export function errorPerGroup(set: WindowSet, groups: readonly FeatureGroup[], size: number): number[] {
  const sums = new Float64Array(groups.length);
  const groupOf = new Int32Array(size);
  groups.forEach((g, gi) => {
    groupOf.fill(gi, g.start, g.end);
  });
  for (let i = 0; i < set.features.length; i++)
    sums[groupOf[i % size]] += (set.features[i] - set.recon[i]) ** 2;
  const rows = set.features.length / size;
  return groups.map((g, gi) => (rows ? sums[gi] / (rows * (g.end - g.start)) : 0));
}

export function groupError(
  holdout: WindowSet,
  anomalous: WindowSet,
  groups: readonly FeatureGroup[],
  size: number,
): GroupError {
  return {
    groups: groups.map((g) => g.name),
    normal: errorPerGroup(holdout, groups, size),
    anomalous: errorPerGroup(anomalous, groups, size),
  };
}
