import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../../trainer/model/seeded-random.js';
import { MAX_POINTS } from '../../../../../trainer/report/chart-data.js';
import { latentMap, principalPlane } from '../../../../../trainer/report/charts/latent-map.js';
import { windowSet } from '../windows.js';

// Orthonormal directions in 4-D and a centre: codes = centre + a·u + b·w, std(a) = 3, std(b) = 1.
const u = [0.5, 0.5, 0.5, 0.5];
const w = [0.5, -0.5, 0.5, -0.5];
const centre = [1, 2, 3, 4];
const code = (a: number, b: number) => centre.map((c, i) => c + a * u[i] + b * w[i]);

function normalCodes(n: number): number[][] {
  const rng = new SeededRandom(3);
  return Array.from({ length: n }, () => code(3 * rng.normal(), rng.normal()));
}

describe('principalPlane', () => {
  it('finds the two directions the codes vary along, in order of variance', () => {
    const p = principalPlane(Float32Array.from(normalCodes(2000).flat()), 4);
    expect(Math.abs(p.axes[0].reduce((s, v, i) => s + v * u[i], 0))).toBeCloseTo(1, 2);
    expect(Math.abs(p.axes[1].reduce((s, v, i) => s + v * w[i], 0))).toBeCloseTo(1, 2);
    expect(p.explained[0]).toBeCloseTo(0.9, 1);
    expect(p.explained[0] + p.explained[1]).toBeCloseTo(1, 6);
  });
});

describe('latentMap', () => {
  it('projects a wide bottleneck onto the plane of the normal codes: anomalies land where they left it', () => {
    const codes = normalCodes(500);
    const normal = windowSet(
      [[0]],
      [[0]],
      codes,
      codes.map(() => 1),
    );
    const anomalous = windowSet([[0]], [[0]], [code(20, 0), code(0, 20)], [50, 60]);
    const map = latentMap(normal, anomalous, 4, 2);
    expect(map.yIsScore).toBe(false);
    expect(map.axes[0]).toMatch(/^PC1 of the 4 codes \(\d+ % of normal variance\)$/);
    expect(Math.abs(map.anomalous.x[0])).toBeCloseTo(20, 0);
    expect(Math.abs(map.anomalous.y[0])).toBeLessThan(0.5);
    expect(Math.abs(map.anomalous.y[1])).toBeCloseTo(20, 0);
    expect(map.anomalous.score).toEqual([50, 60]);
    expect(map.threshold).toBe(2);
  });

  it('shows a 2-wide bottleneck as it is, and a 1-wide one against the score', () => {
    const two = windowSet(
      [[0]],
      [[0]],
      [
        [1, 2],
        [3, 4],
      ],
      [0.5, 0.7],
    );
    expect(latentMap(two, two, 2, 1).normal).toEqual({ x: [1, 3], y: [2, 4], score: [0.5, 0.7] });
    const one = windowSet([[0]], [[0]], [[1], [3]], [0.5, 0.7]);
    const map = latentMap(one, one, 1, 1);
    expect(map.yIsScore).toBe(true);
    expect(map.normal).toEqual({ x: [1, 3], y: [0.5, 0.7], score: [0.5, 0.7] });
  });

  it(`caps each set at ${MAX_POINTS} points`, () => {
    const codes = normalCodes(3000);
    const set = windowSet(
      [[0]],
      [[0]],
      codes,
      codes.map(() => 1),
    );
    const map = latentMap(set, set, 4, 1);
    expect(map.normal.x).toHaveLength(MAX_POINTS);
    expect(map.normal.score).toHaveLength(MAX_POINTS);
  });
});
