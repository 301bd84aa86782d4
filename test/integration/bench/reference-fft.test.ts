// The FFT comparison of `thrum bench` is only fair if the radix-2 reference computes the same transform as
// fft.js; and the medians/quantiles the tables quote must be the usual ones.
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { Radix2Fft } from '../../../bench/radix2-fft.js';
import { median, quantile, slope } from '../../../bench/stats.js';

describe('bench reference FFT', () => {
  it.each([8, 256, 1024])('matches fft.js on a real signal of %i points', (n) => {
    const input = Float64Array.from(
      { length: n },
      (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 1.9) + (i % 7) / 7,
    );
    const ours = new Float64Array(2 * n);
    const theirs = new Float64Array(2 * n);
    new Radix2Fft(n).realTransform(ours, input);
    const fft = new FFT(n);
    fft.realTransform(theirs, input);
    fft.completeSpectrum(theirs);
    for (let k = 0; k < 2 * n; k++) expect(ours[k]).toBeCloseTo(theirs[k], 9);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => new Radix2Fft(12)).toThrow(/power of two/);
  });
});

describe('bench statistics', () => {
  it('median and quantiles interpolate between order statistics', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.99)).toBeCloseTo(4.96, 10);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('slope is the least-squares slope', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(slope([1], [4])).toBe(0);
  });
});
