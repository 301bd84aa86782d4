import { describe, expect, it } from 'vitest';
import { activationRanges } from '../../../../trainer/onnx/activation-ranges.js';
import {
  activationQuant,
  quantizeBias,
  quantizeKernel,
  WEIGHT_QMAX,
} from '../../../../trainer/onnx/quant-params.js';

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
    expect(WEIGHT_QMAX).toBe(63);
    expect(q.scales[0]).toBe(Math.fround(1 / 63));
    expect(q.scales[1]).toBe(Math.fround(Math.fround(0.02) / 63));
    expect(Array.from(q.values)).toEqual([63, 16, -16, 63]);
    for (let i = 0; i < kernel.length; i++) {
      expect(Math.abs(q.values[i] * q.scales[i % 2] - kernel[i])).toBeLessThanOrEqual(
        q.scales[i % 2] / 2 + 1e-9,
      );
    }
  });

  it('keeps every weight within the 7-bit range, so u8 x s8 pair sums fit int16 (255 * 63 * 2 < 32768)', () => {
    const kernel = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7) * (i % 5));
    const q = quantizeKernel(kernel, 8, 8);
    for (const v of q.values) expect(Math.abs(v)).toBeLessThanOrEqual(WEIGHT_QMAX);
    expect(255 * WEIGHT_QMAX * 2).toBeLessThan(32768);
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
