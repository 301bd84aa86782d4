import { describe, expect, it } from 'vitest';
import { layerWidths } from '../../../../trainer/model/architecture.js';
import { type DenseWeights, forwardDense } from '../../../../trainer/model/dense.js';

describe('layerWidths', () => {
  it('halves from D/2 towards a bottleneck of about D/8', () => {
    expect(layerWidths(32)).toEqual([16, 8, 4]);
    expect(layerWidths(128)).toEqual([64, 32, 16]);
    expect(layerWidths(8)).toEqual([8, 4, 2]);
  });

  it('honours --bottleneck, caps width at 256 and keeps at most three hidden layers', () => {
    expect(layerWidths(32, 2)).toEqual([16, 8, 4, 2]);
    const wide = layerWidths(2048);
    expect(wide[0]).toBe(256);
    expect(wide.at(-1)).toBe(256);
    expect(layerWidths(64, 12)).toEqual([32, 16, 12]);
  });
});

describe('forwardDense', () => {
  it('computes relu(x W + b) then a linear layer', () => {
    const layers: DenseWeights[] = [
      {
        inSize: 2,
        outSize: 2,
        kernel: new Float32Array([1, -1, 2, 1]),
        bias: new Float32Array([0, -10]),
        activation: 'relu',
      },
      {
        inSize: 2,
        outSize: 1,
        kernel: new Float32Array([1, 1]),
        bias: new Float32Array([0.5]),
        activation: 'linear',
      },
    ];
    // x = [1, 2]: hidden = relu([1 + 4, -1 + 2 - 10]) = [5, 0]; out = 5 + 0.5
    const out = forwardDense(layers, new Float32Array([1, 2]), 1);
    expect(Array.from(out[0])).toEqual([5, 0]);
    expect(out[1][0]).toBeCloseTo(5.5, 6);
  });
});
