import { describe, expect, it } from 'vitest';
import { FeatureExtractor } from '../../../../../shared/features/extractor.js';
import type { FeatureSpec } from '../../../../../shared/features/spec.js';
import { spectra } from '../../../../../trainer/report/charts/spectra.js';
import { windowSet } from '../windows.js';

const base = { window: 64, hop: 32, channels: 2, sampleRate: 800 };

function extractor(spec: FeatureSpec): FeatureExtractor {
  const size = new FeatureExtractor(spec).size;
  return new FeatureExtractor(
    spec,
    {
      channelMean: [0, 0],
      channelStd: [1, 1],
      featureMean: Array.from({ length: size }, () => Math.LN10), // ln power = ln 10 -> 10 dB
      featureStd: Array.from({ length: size }, () => Math.LN10 / 10), // one std = 1 dB
    },
    ['x', 'y'],
  );
}

describe('spectra', () => {
  it('band power in dB per channel: the mean of the un-standardized log powers, at band centres', () => {
    const e = extractor({
      ...base,
      kinds: ['spectrum'],
      spectrum: { bands: 4, maxHz: 400, minHz: 0, scale: 'linear' },
    });
    // Two normal windows at z = 0 and 2 (mean 1 std above the training mean); one anomaly at z = 10 on x.
    const normal = windowSet([Array(8).fill(0), Array(8).fill(2)], [], [], [1, 1]);
    const anomalous = windowSet([[10, 10, 10, 10, 0, 0, 0, 0]], [], [], [9]);
    const s = spectra(normal, anomalous, e);
    if (s.kind !== 'bands') throw new Error('expected band spectra');
    expect(s.frequency).toEqual([50, 150, 250, 350]);
    expect(s.logFrequency).toBe(false);
    expect(s.channels.map((c) => c.name)).toEqual(['x', 'y']);
    for (const v of s.channels[0].normal) expect(v).toBeCloseTo(11, 9);
    for (const v of s.channels[0].anomalous) expect(v).toBeCloseTo(20, 9);
    for (const v of s.channels[1].anomalous) expect(v).toBeCloseTo(10, 9);
  });

  it('log bands are centred at the geometric mean of their edges', () => {
    const e = extractor({
      ...base,
      kinds: ['spectrum'],
      spectrum: { bands: 2, maxHz: 400, minHz: 25, scale: 'log' },
    });
    const rows = windowSet([Array(4).fill(0)], [], [], [1]);
    const s = spectra(rows, rows, e);
    if (s.kind !== 'bands') throw new Error('expected band spectra');
    expect(s.logFrequency).toBe(true);
    expect(s.frequency[0]).toBeCloseTo(Math.sqrt(25 * 100), 9);
  });

  it('without a spectrum feature: the mean standardized feature vectors, labelled', () => {
    const e = extractor({ ...base, kinds: ['stats'] });
    const normal = windowSet([Array(8).fill(0), Array(8).fill(1)], [], [], [1, 1]);
    const anomalous = windowSet([Array(8).fill(7)], [], [], [9]);
    const s = spectra(normal, anomalous, e);
    if (s.kind !== 'features') throw new Error('expected feature means');
    expect(s.labels.slice(0, 2)).toEqual(['x/stats.rms', 'x/stats.peak']);
    expect(s.normal).toEqual(Array(8).fill(0.5));
    expect(s.anomalous).toEqual(Array(8).fill(7));
  });
});
