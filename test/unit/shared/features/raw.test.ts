import { describe, expect, it } from 'vitest';
import { FeatureExtractor } from '../../../../shared/features/extractor.js';

const spec = { kinds: ['raw' as const], window: 3, hop: 3, channels: 2, sampleRate: 100 };

describe('raw feature', () => {
  it('standardizes each channel with its own mean/std and lays samples out channel-major', () => {
    const norm = {
      channelMean: [1, -2],
      channelStd: [2, 0.5],
      featureMean: Array(6).fill(0),
      featureStd: Array(6).fill(1),
    };
    // interleaved (ch0, ch1): (1,-2) (3,-1.5) (5,-3)
    const window = Float32Array.from([1, -2, 3, -1.5, 5, -3]);
    const out = new Float32Array(6);
    new FeatureExtractor(spec, norm).extract(window, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 0, 1, -2]);
  });

  it('without normalization it is the de-interleaved window unchanged', () => {
    const window = Float32Array.from([0.5, 7, -1, 8, 2.25, 9]);
    const out = new Float32Array(6);
    new FeatureExtractor(spec).extract(window, out);
    expect(Array.from(out)).toEqual([0.5, -1, 2.25, 7, 8, 9]);
  });
});
