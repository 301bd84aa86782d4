import { describe, expect, it } from 'vitest';
import { reconstructFeatureRows, scoreFeatureRows } from '../../../../runtime/scoring/score-matrix.js';
import { createScorer } from '../../../../runtime/scoring/scorer.js';
import type { FeatureGroup } from '../../../../shared/features/spec.js';
import { fakeEngine } from './fake-engine.js';

const groups: FeatureGroup[] = [
  { name: 'x/raw', channel: 0, kind: 'raw', start: 0, end: 2 },
  { name: 'y/raw', channel: 1, kind: 'raw', start: 2, end: 3 },
];
// 10 rows of 3 features; row r is [r, 2r, 3r].
const rows = Float32Array.from({ length: 30 }, (_, i) => Math.floor(i / 3) * ((i % 3) + 1));

describe('scoreFeatureRows', () => {
  it('scores every row with the scorer, in row order, batch after batch', async () => {
    const engine = fakeEngine(3, () => 0);
    const scores = await scoreFeatureRows(createScorer(engine, groups), rows, 4);
    // Reconstruction 0: score = (r² + 4r² + 9r²) / 3.
    expect(Array.from(scores)).toEqual(Array.from({ length: 10 }, (_, r) => (14 * r * r) / 3));
    expect(engine.runs).toBe(3); // 4 + 4 + 2 rows
  });

  it('gives the same scores whatever the batch size', async () => {
    const scorer = createScorer(
      fakeEngine(3, (x, j) => x * 0.9 + j),
      groups,
    );
    const one = await scoreFeatureRows(scorer, rows, 1);
    const all = await scoreFeatureRows(scorer, rows, 256);
    expect(Array.from(one)).toEqual(Array.from(all));
    expect(new Set(all).size).toBe(10);
  });

  it('refuses a matrix that is not whole rows', async () => {
    const scorer = createScorer(
      fakeEngine(3, () => 0),
      groups,
    );
    await expect(scoreFeatureRows(scorer, rows.subarray(0, 29))).rejects.toThrow(/not whole rows of 3/);
  });
});

describe('reconstructFeatureRows', () => {
  it('returns the engine output of every row, in order', async () => {
    const engine = fakeEngine(3, (x) => x + 1);
    const recon = await reconstructFeatureRows(engine, rows, 3);
    expect(Array.from(recon)).toEqual(Array.from(rows, (x) => x + 1));
    expect(engine.runs).toBe(4);
  });
});
