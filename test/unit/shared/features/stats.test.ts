import { describe, expect, it } from 'vitest';
import { FeatureExtractor } from '../../../../shared/features/extractor.js';
import { StatsFeature } from '../../../../shared/features/stats.js';

function stats(x: number[]): number[] {
  const out = new Float64Array(4);
  new StatsFeature().compute(Float64Array.from(x), out, 0);
  return Array.from(out);
}

describe('stats feature', () => {
  it('computes rms, peak, crest and kurtosis of the mean-removed window', () => {
    // mean 1, d = [-1, -1, -1, 3]: ms = 12/4 = 3, peak 3, m4 = 84/4 = 21, kurtosis 21/9
    const [rms, peak, crest, kurtosis] = stats([0, 0, 0, 4]);
    expect(rms).toBeCloseTo(Math.sqrt(3), 12);
    expect(peak).toBe(3);
    expect(crest).toBeCloseTo(Math.sqrt(3), 12);
    expect(kurtosis).toBeCloseTo(7 / 3, 12);
  });

  it('square wave ±2 on an offset: rms 2, peak 2, crest 1, kurtosis 1', () => {
    const x = Array.from({ length: 64 }, (_, i) => 5 + (Math.floor(i / 4) % 2 === 0 ? 2 : -2));
    const [rms, peak, crest, kurtosis] = stats(x);
    expect(rms).toBeCloseTo(2, 12);
    expect(peak).toBeCloseTo(2, 12);
    expect(crest).toBeCloseTo(1, 12);
    expect(kurtosis).toBeCloseTo(1, 12);
  });

  it('sine of amplitude 3 over whole periods: rms 3/√2, crest √2, kurtosis 1.5', () => {
    const x = Array.from({ length: 64 }, (_, i) => 3 * Math.sin((2 * Math.PI * i) / 16));
    const [rms, peak, crest, kurtosis] = stats(x);
    expect(rms).toBeCloseTo(3 / Math.SQRT2, 12);
    expect(peak).toBeCloseTo(3, 12);
    expect(crest).toBeCloseTo(Math.SQRT2, 12);
    expect(kurtosis).toBeCloseTo(1.5, 12);
  });

  it('a flat window gives zeros, not NaN', () => {
    expect(stats(Array(16).fill(0.1))).toEqual([0, 0, 0, 0]);
    expect(stats(Array(16).fill(0))).toEqual([0, 0, 0, 0]);
  });

  it('runs on channel-standardized samples: rms and peak in units of the channel std', () => {
    const spec = { kinds: ['stats' as const], window: 64, hop: 64, channels: 2, sampleRate: 100 };
    const window = new Float32Array(128);
    for (let i = 0; i < 64; i++) {
      const square = Math.floor(i / 4) % 2 === 0 ? 2 : -2;
      window[2 * i] = 10 + square; // channel 0, std 4 → rms 0.5
      window[2 * i + 1] = square; // channel 1, std 1 → rms 2
    }
    const norm = {
      channelMean: [10, 0],
      channelStd: [4, 1],
      featureMean: Array(8).fill(0),
      featureStd: Array(8).fill(1),
    };
    const out = new Float32Array(8);
    new FeatureExtractor(spec, norm).extract(window, out);
    expect(Array.from(out)).toEqual([0.5, 0.5, 1, 1, 2, 2, 1, 1]);
  });
});
