import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../../trainer/model/symmetric-eigen.js';

/** max |A·v_j − λ_j·v_j| and max |VᵀV − I| over all pairs. */
function residuals(a: Float64Array, d: number) {
  const { values, vectors } = symmetricEigen(a, d);
  let eig = 0;
  let orth = 0;
  for (let j = 0; j < d; j++) {
    for (let r = 0; r < d; r++) {
      let av = 0;
      for (let c = 0; c < d; c++) av += a[r * d + c] * vectors[c * d + j];
      eig = Math.max(eig, Math.abs(av - values[j] * vectors[r * d + j]));
    }
    for (let k = 0; k < d; k++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += vectors[r * d + j] * vectors[r * d + k];
      orth = Math.max(orth, Math.abs(dot - (j === k ? 1 : 0)));
    }
  }
  return { values, vectors, eig, orth };
}

describe('symmetricEigen', () => {
  it('2 x 2 by hand: [[2, 1], [1, 2]] has eigenvalues 3 and 1 on the diagonals', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    // Column 0 is (1, 1)/√2; column 1 is ±(1, −1)/√2 with its largest entry positive.
    expect(vectors[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[2]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(vectors[1])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[1] + vectors[3]).toBeCloseTo(0, 12);
  });

  it('a diagonal matrix comes back sorted descending with unit vectors', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([1, 0, 0, 0, 5, 0, 0, 0, 3]), 3);
    expect([...values]).toEqual([5, 3, 1]);
    expect([...vectors]).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('random symmetric matrices: A·v = λ·v and V orthonormal to 1e-9, values descending', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 144, maxLength: 144 }),
        (d, raw) => {
          const a = new Float64Array(d * d);
          for (let i = 0; i < d; i++)
            for (let j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = raw[i * 12 + j];
          const { values, eig, orth } = residuals(a, d);
          const scale = Math.max(1, ...a.map(Math.abs));
          expect(eig).toBeLessThan(1e-9 * scale);
          expect(orth).toBeLessThan(1e-9);
          for (let j = 1; j < d; j++) expect(values[j]).toBeLessThanOrEqual(values[j - 1]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a matrix of the wrong size', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/5 values is not 2 x 2/);
  });
});
