import { describe, expect, it } from 'vitest';
import { activationRanges } from '../../../../trainer/onnx/activation-ranges.js';
import { activationQuant, quantizeBias, quantizeKernel } from '../../../../trainer/onnx/quant-params.js';

describe('activationQuant', () => {
  it('maps a relu range [0, max] onto int8 with zero point -128', () => {
    const q = activationQuant({ min: 0, max: 25.5 });
    expect(q.zeroPoint).toBe(-128);
    expect(q.scale).toBeCloseTo(0.1, 9);
  });

  it('covers a signed range within int8 and round-trips its ends within one step', () => {
    const q = activationQuant({ min: -3, max: 1 });
    expect(Number.isInteger(q.zeroPoint)).toBe(true);
    for (const v of [-3, 0, 1]) {
      const code = Math.round(v / q.scale) + q.zeroPoint;
      expect(code).toBeGreaterThanOrEqual(-128);
      expect(code).toBeLessThanOrEqual(127);
      expect(Math.abs((code - q.zeroPoint) * q.scale - v)).toBeLessThanOrEqual(q.scale);
    }
  });
});

describe('quantizeKernel', () => {
  it('scales each output column by its own max |w| and reconstructs within half a step', () => {
    // [inSize 2, outSize 2]: column 0 = [1, -0.25], column 1 = [0.005, 0.02]
    const kernel = new Float32Array([1, 0.005, -0.25, 0.02]);
    const q = quantizeKernel(kernel, 2, 2);
    expect(q.scales[0]).toBeCloseTo(1 / 127, 9);
    expect(q.scales[1]).toBeCloseTo(0.02 / 127, 9);
    expect(Array.from(q.values)).toEqual([127, 32, -32, 127]);
    for (let i = 0; i < kernel.length; i++) {
      expect(Math.abs(q.values[i] * q.scales[i % 2] - kernel[i])).toBeLessThanOrEqual(
        q.scales[i % 2] / 2 + 1e-9,
      );
    }
  });

  it('quantizes the bias at input scale x weight scale', () => {
    const b = quantizeBias(new Float32Array([0.5, -1]), 0.1, new Float32Array([0.01, 0.02]));
    expect(b.scales[0]).toBeCloseTo(0.001, 9);
    expect(Array.from(b.values)).toEqual([500, -500]);
  });
});

describe('activationRanges', () => {
  it('widens measured ranges by the headroom factor', () => {
    const layers = [
      {
        inSize: 1,
        outSize: 1,
        kernel: new Float32Array([2]),
        bias: new Float32Array([0]),
        activation: 'relu' as const,
      },
      {
        inSize: 1,
        outSize: 1,
        kernel: new Float32Array([1]),
        bias: new Float32Array([0]),
        activation: 'linear' as const,
      },
    ];
    const ranges = activationRanges(layers, new Float32Array([-1, 3]), 2, 2);
    expect(ranges).toEqual([
      { min: -2, max: 6 },
      { min: 0, max: 12 },
    ]);
  });
});
