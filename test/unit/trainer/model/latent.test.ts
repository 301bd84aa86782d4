import { describe, expect, it } from 'vitest';
import type { DenseWeights } from '../../../../trainer/model/dense.js';
import { latentCodes } from '../../../../trainer/model/latent.js';
import { fitPca } from '../../../../trainer/model/pca.js';
import { SeededRandom } from '../../../../trainer/model/seeded-random.js';

describe('latentCodes', () => {
  it('runs the rows through every encoder layer (relu hidden, linear bottleneck)', () => {
    const hidden: DenseWeights = {
      inSize: 2,
      outSize: 2,
      kernel: Float32Array.from([1, -1, 1, -1]), // h = relu([x0 + x1, -(x0 + x1)])
      bias: Float32Array.from([0, 0]),
      activation: 'relu',
    };
    const bottleneck: DenseWeights = {
      inSize: 2,
      outSize: 1,
      kernel: Float32Array.from([2, 3]),
      bias: Float32Array.from([1]),
      activation: 'linear',
    };
    const codes = latentCodes([hidden, bottleneck], Float32Array.from([1, 2, -1, -2]));
    expect(Array.from(codes)).toEqual([2 * 3 + 1, 3 * 3 + 1]);
  });

  it('pca: the codes are the coordinates on the principal axes, and the decoder rebuilds the rows from them', () => {
    const rng = new SeededRandom(5);
    const rows = Float32Array.from({ length: 200 * 3 }, (_, i) => (i % 3 === 2 ? 0 : 4 * rng.normal()));
    const { layers } = fitPca(rows, 3, 2);
    const codes = latentCodes(layers.slice(0, 1), rows);
    expect(codes).toHaveLength(200 * 2);
    const dec = layers[1];
    for (let r = 0; r < 5; r++) {
      for (let j = 0; j < 3; j++) {
        let v = dec.bias[j];
        for (let c = 0; c < 2; c++) v += codes[r * 2 + c] * dec.kernel[c * 3 + j];
        expect(v).toBeCloseTo(rows[r * 3 + j], 3);
      }
    }
  });

  it('rejects rows that do not fit the input width', () => {
    const layer: DenseWeights = {
      inSize: 2,
      outSize: 1,
      kernel: new Float32Array(2),
      bias: new Float32Array(1),
      activation: 'linear',
    };
    expect(() => latentCodes([layer], new Float32Array(3))).toThrow(/2-wide rows/);
    expect(latentCodes([layer], new Float32Array(0))).toHaveLength(0);
  });
});
