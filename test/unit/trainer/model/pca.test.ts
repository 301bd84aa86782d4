import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import { forwardDense } from '../../../../trainer/model/dense.js';
import { fitPca } from '../../../../trainer/model/pca.js';
import { SeededRandom } from '../../../../trainer/model/seeded-random.js';

const D = 6;
/** Rows on the plane spanned by u and w in 6-D, offset by `centre`, plus noise of std `noise`. */
const u = [1, 2, 0, -1, 0, 1];
const w = [0, 1, 1, 1, -2, 0];
const centre = [5, -3, 0.5, 2, 0, 10];
function planeRows(n: number, noise: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    const a = 3 * rng.normal();
    const b = 2 * rng.normal();
    for (let i = 0; i < D; i++) out[r * D + i] = centre[i] + a * u[i] + b * w[i] + noise * rng.normal();
  }
  return out;
}
function meanSquaredError(layers: ReturnType<typeof fitPca>['layers'], rows: Float32Array): number {
  const recon = forwardDense(layers, rows, rows.length / D).at(-1) as Float32Array;
  let s = 0;
  for (let i = 0; i < rows.length; i++) s += (rows[i] - recon[i]) ** 2;
  return s / rows.length;
}

describe('fitPca', () => {
  const train = planeRows(500, 0.01, 1);

  it('two components recover a 2-D plane: fresh points on it reconstruct to the noise level', () => {
    const { layers, explained } = fitPca(train, D, 2);
    expect(explained).toBeGreaterThan(0.9999);
    expect(meanSquaredError(layers, planeRows(200, 0.01, 2))).toBeLessThan(2 * 0.01 ** 2);
  });

  it('a point off the plane keeps its off-plane part as error', () => {
    const { layers } = fitPca(train, D, 2);
    // n is orthogonal to u and w: (u·n = 0, w·n = 0).
    const n = [1, 0, 0, 1, 0.5, 0];
    const off = Float32Array.from(centre.map((c, i) => c + 4 * n[i]));
    const nn = n.reduce((s, x) => s + x * x, 0);
    expect(meanSquaredError(layers, off)).toBeCloseTo((16 * nn) / D, 2);
  });

  it('one component keeps the larger direction only and explains less', () => {
    const one = fitPca(train, D, 1);
    const two = fitPca(train, D, 2);
    expect(one.explained).toBeLessThan(two.explained);
    expect(one.explained).toBeGreaterThan(0.5);
    expect(meanSquaredError(one.layers, train)).toBeGreaterThan(100 * meanSquaredError(two.layers, train));
  });

  it('is deterministic and exports as two linear dense layers around the mean', () => {
    const a = fitPca(train, D, 2);
    const b = fitPca(Float32Array.from(train), D, 2);
    expect(a.layers).toEqual(b.layers);
    expect(a.layers.map((l) => [l.inSize, l.outSize, l.activation])).toEqual([
      [D, 2, 'linear'],
      [2, D, 'linear'],
    ]);
    for (let i = 0; i < D; i++) expect(a.layers[1].bias[i]).toBeCloseTo(centre[i], 0);
  });

  it('refuses a bottleneck that is not below the feature count, naming the flag', () => {
    for (const bad of [0, D, D + 1, 1.5]) {
      try {
        fitPca(train, D, bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ThrumError);
        expect((e as Error).message).toMatch(/--bottleneck .* between 1 and 5/);
      }
    }
  });
});
