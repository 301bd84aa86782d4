import { firstValueFrom, from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { BatchScores } from '../../../../runtime/operators/score-batches.js';
import { createScorer } from '../../../../runtime/scoring/scorer.js';
import { ThrumError } from '../../../../shared/errors.js';
import type { FeatureGroup } from '../../../../shared/features/spec.js';
import { fakeEngine } from './fake-engine.js';

const group = (name: string, start: number, end: number): FeatureGroup => ({
  name,
  channel: 0,
  kind: 'stats',
  start,
  end,
});
// 8 features in 4 groups of 2.
const groups = [group('x/raw', 0, 2), group('x/stats', 2, 4), group('y/raw', 4, 6), group('y/stats', 6, 8)];

const score = (features: number[], n: number, reconstruct: (x: number, j: number) => number, top?: number) =>
  firstValueFrom(
    from(
      createScorer(fakeEngine(8, reconstruct), groups, { topGroups: top }).score(
        Float32Array.from(features),
        n,
      ),
    ),
  ) as Promise<BatchScores>;

describe('createScorer', () => {
  it('scores each window by the mean squared reconstruction error over its feature vector', async () => {
    // Reconstruction = 0: the error is the feature itself.
    const result = await score([1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0], 2, () => 0);
    expect(Array.from(result.scores)).toEqual([1, 0.5]);
  });

  it('names the groups with the largest share of the squared error, largest first', async () => {
    // Squared errors per group: x/raw 1, x/stats 4, y/raw 9, y/stats 0 (total 14).
    const result = await score([1, 0, 2, 0, 3, 0, 0, 0], 1, () => 0);
    expect(result.contributions[0]).toEqual([
      { group: 'y/raw', share: 9 / 14 },
      { group: 'x/stats', share: 4 / 14 },
      { group: 'x/raw', share: 1 / 14 },
    ]);
  });

  it('reports only groups with error, at most topGroups of them', async () => {
    const only = await score([0, 0, 0, 0, 0, 0, 0, 5], 1, () => 0);
    expect(only.contributions[0]).toEqual([{ group: 'y/stats', share: 1 }]);
    const two = await score([1, 0, 2, 0, 3, 0, 0, 0], 1, () => 0, 2);
    expect(two.contributions[0].map((c) => c.group)).toEqual(['y/raw', 'x/stats']);
    const perfect = await score([1, 2, 3, 4, 5, 6, 7, 8], 1, (x) => x);
    expect(perfect.scores[0]).toBe(0);
    expect(perfect.contributions[0]).toEqual([]);
  });

  it('refuses groups that do not tile the model input', () => {
    expect(() =>
      createScorer(
        fakeEngine(9, () => 0),
        groups,
      ),
    ).toThrow(ThrumError);
    expect(() =>
      createScorer(
        fakeEngine(8, () => 0),
        [group('x', 0, 4), group('y', 2, 8)],
      ),
    ).toThrow(/outside|cover/);
  });
});
