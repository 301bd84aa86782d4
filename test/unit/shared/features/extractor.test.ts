import { describe, expect, it, vi } from 'vitest';
import type { ThrumError } from '../../../../shared/errors.js';
import { FeatureExtractor, fitNormalization, flooredStd } from '../../../../shared/features/extractor.js';
import type { FeatureSpec } from '../../../../shared/features/spec.js';
import { slidingWindows } from '../../../../shared/windowing.js';

const spec: FeatureSpec = {
  kinds: ['spectrum', 'stats'],
  window: 64,
  hop: 32,
  channels: 3,
  sampleRate: 1000,
  spectrum: { bands: 4, maxHz: 500, minHz: 0, scale: 'linear' },
};

/** Deterministic noise with a different offset and scale per channel. */
function recording(samples: number, channels: number, seed: number): Float32Array {
  const out = new Float32Array(samples * channels);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const c = i % channels;
    out[i] = 10 * c + (c + 1) * (s / 2 ** 31 - 0.5);
  }
  return out;
}

function thrown(fn: () => unknown): ThrumError {
  try {
    fn();
  } catch (error) {
    return error as ThrumError;
  }
  throw new Error('expected a throw');
}

describe('FeatureExtractor layout', () => {
  it('orders kinds as listed, then channels, and names groups <channel>/<kind>', () => {
    const extractor = new FeatureExtractor(spec, undefined, ['x', 'y', 'z']);
    expect(extractor.size).toBe(3 * 4 + 3 * 4);
    expect(extractor.groups).toEqual([
      { name: 'x/spectrum', channel: 0, kind: 'spectrum', start: 0, end: 4 },
      { name: 'y/spectrum', channel: 1, kind: 'spectrum', start: 4, end: 8 },
      { name: 'z/spectrum', channel: 2, kind: 'spectrum', start: 8, end: 12 },
      { name: 'x/stats', channel: 0, kind: 'stats', start: 12, end: 16 },
      { name: 'y/stats', channel: 1, kind: 'stats', start: 16, end: 20 },
      { name: 'z/stats', channel: 2, kind: 'stats', start: 20, end: 24 },
    ]);
    expect(extractor.labels.slice(10, 14)).toEqual([
      'z/spectrum.b2',
      'z/spectrum.b3',
      'x/stats.rms',
      'x/stats.peak',
    ]);
  });

  it('names channels ch0.. by default', () => {
    const names = new FeatureExtractor({ ...spec, kinds: ['raw'] }).groups.map((g) => g.name);
    expect(names).toEqual(['ch0/raw', 'ch1/raw', 'ch2/raw']);
  });

  it('fills each group with what a single-kind extractor computes', () => {
    const window = recording(64, 3, 7);
    const both = new FeatureExtractor({ ...spec, kinds: ['stats', 'raw', 'spectrum'] });
    const all = new Float32Array(both.size);
    both.extract(window, all);
    for (const kind of ['raw', 'spectrum', 'stats'] as const) {
      const single = new FeatureExtractor({ ...spec, kinds: [kind] });
      const part = new Float32Array(single.size);
      single.extract(window, part);
      const groups = both.groups.filter((g) => g.kind === kind);
      const slice = all.subarray(groups[0].start, groups[groups.length - 1].end);
      expect(Array.from(slice)).toEqual(Array.from(part));
    }
  });

  it('writes at the offset and leaves the rest of out alone', () => {
    const extractor = new FeatureExtractor(spec);
    const out = new Float32Array(extractor.size + 4).fill(-99);
    extractor.extract(recording(64, 3, 1), out, 2);
    expect([out[0], out[1], out[out.length - 2], out[out.length - 1]]).toEqual([-99, -99, -99, -99]);
    expect(out.subarray(2, 2 + extractor.size).includes(-99)).toBe(false);
  });

  it('allocates nothing per call: no typed array, view or array is created', () => {
    const full: FeatureSpec = { ...spec, kinds: ['raw', 'spectrum', 'stats'] };
    const extractor = new FeatureExtractor(full, fitNormalization(full, [recording(256, 3, 3)]));
    const window = recording(64, 3, 5);
    const out = new Float32Array(extractor.size);
    const typedArray = Object.getPrototypeOf(Float64Array.prototype);
    const subarray = vi.spyOn(typedArray, 'subarray');
    const from = vi.spyOn(Array, 'from');
    const constructed: string[] = [];
    const saved = { Float64Array, Float32Array, Int32Array, Array };
    const g = globalThis as Record<string, unknown>;
    for (const [name, ctor] of Object.entries(saved)) {
      g[name] = new Proxy(ctor, {
        construct(target, args) {
          constructed.push(name);
          return Reflect.construct(target, args);
        },
      });
    }
    let views = -1;
    let arrays = -1;
    try {
      for (let i = 0; i < 10; i++) extractor.extract(window, out);
    } finally {
      Object.assign(g, saved);
      views = subarray.mock.calls.length;
      arrays = from.mock.calls.length;
      subarray.mockRestore(); // also clears the recorded calls: counted above
      from.mockRestore();
    }
    expect(constructed).toEqual([]);
    expect(views).toBe(0);
    expect(arrays).toBe(0);
  });

  it('gives the same result on repeated calls (scratch carries no state)', () => {
    const extractor = new FeatureExtractor({ ...spec, kinds: ['raw', 'spectrum', 'stats'] });
    const a = new Float32Array(extractor.size);
    const b = new Float32Array(extractor.size);
    extractor.extract(recording(64, 3, 1), a);
    extractor.extract(recording(64, 3, 2), b);
    extractor.extract(recording(64, 3, 1), b);
    expect(b).toEqual(a);
  });

  it('rejects misuse with messages that name the problem', () => {
    expect(thrown(() => new FeatureExtractor({ ...spec, kinds: ['stats', 'stats'] })).message).toMatch(
      /lists "stats" twice/,
    );
    expect(() => new FeatureExtractor(spec, undefined, ['x'])).toThrow(/got 1 names for 3 channels/);
    expect(thrown(() => new FeatureExtractor({ ...spec, window: 0 })).code).toBe('BAD_USAGE');
    const extractor = new FeatureExtractor(spec);
    expect(() => extractor.extract(new Float32Array(63 * 3), new Float32Array(24))).toThrow(
      /window has 189 values, expected 64 samples × 3 channels/,
    );
    expect(() => extractor.extract(new Float32Array(64 * 3), new Float32Array(24), 1)).toThrow(/needs 25/);
  });

  it('rejects a normalization that does not match the spec as a bad bundle', () => {
    const norm = {
      channelMean: [0, 0, 0],
      channelStd: [1, 1, 1],
      featureMean: Array(12).fill(0),
      featureStd: Array(24).fill(1),
    };
    const error = thrown(() => new FeatureExtractor(spec, norm));
    expect(error.code).toBe('BAD_BUNDLE');
    expect(error.message).toMatch(/normalization\.featureMean has 12 values, the feature spec needs 24/);
    const zeroStd = { ...norm, featureMean: Array(24).fill(0), channelStd: [1, 0, 1] };
    expect(() => new FeatureExtractor(spec, zeroStd)).toThrow(/normalization\.channelStd\[1\] is 0/);
  });
});

describe('fitNormalization', () => {
  it('fits channel mean/std over all samples and feature stats over all windows (hand values)', () => {
    const raw: FeatureSpec = { kinds: ['raw'], window: 2, hop: 1, channels: 2, sampleRate: 10 };
    // channel 0: 1, 3 | 5, 7 → mean 4, std √5; channel 1 constant 5 → std floored to 5e-6
    const norm = fitNormalization(raw, [Float32Array.from([1, 5, 3, 5]), Float32Array.from([5, 5, 7, 5])]);
    expect(norm.channelMean).toEqual([4, 5]);
    expect(norm.channelStd[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(norm.channelStd[1]).toBeCloseTo(5e-6, 18);
    // windows: ch0 (−3, −1)/√5 and (1, 3)/√5; ch1 all 0 → mean 0, std floored to 1
    const r5 = Math.sqrt(5);
    expect(norm.featureMean[0]).toBeCloseTo(-1 / r5, 12);
    expect(norm.featureMean[1]).toBeCloseTo(1 / r5, 12);
    expect(norm.featureStd[0]).toBeCloseTo(2 / r5, 12);
    expect(norm.featureStd[1]).toBeCloseTo(2 / r5, 12);
    expect(norm.featureMean.slice(2)).toEqual([0, 0]);
    expect(norm.featureStd.slice(2)).toEqual([1, 1]);
  });

  it('makes the training features mean 0 and std 1', () => {
    const full: FeatureSpec = { ...spec, kinds: ['raw', 'spectrum', 'stats'] };
    const recordings = [recording(2000, 3, 11), recording(1500, 3, 12)];
    const norm = fitNormalization(full, recordings);
    const extractor = new FeatureExtractor(full, norm);
    const rows: Float32Array[] = [];
    for (const rec of recordings) {
      for (const { view } of slidingWindows(rec, full)) {
        const out = new Float32Array(extractor.size);
        extractor.extract(view, out);
        rows.push(out);
      }
    }
    expect(rows).toHaveLength(61 + 45);
    for (let j = 0; j < extractor.size; j++) {
      const mean = rows.reduce((s, r) => s + r[j], 0) / rows.length;
      const std = Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / rows.length);
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(std).toBeCloseTo(1, 5);
    }
  });

  it('reports progress in windows', () => {
    const progress: [number, number][] = [];
    fitNormalization(spec, [recording(128, 3, 1), recording(96, 3, 2)], {
      onProgress: (d, t) => progress.push([d, t]),
    });
    expect(progress).toEqual([
      [3, 5],
      [5, 5],
    ]);
  });

  it('rejects data without a full window or with a partial sample', () => {
    const short = thrown(() => fitNormalization(spec, [recording(63, 3, 1)]));
    expect(short.code).toBe('BAD_DATA');
    expect(short.message).toMatch(/at least one full window of 64 samples per channel.*has 63/);
    expect(thrown(() => fitNormalization(spec, [])).code).toBe('BAD_DATA');
    expect(() => fitNormalization(spec, [recording(100, 3, 1), new Float32Array(200)])).toThrow(
      /recording 1: 200 values is not a whole number of 3-channel samples/,
    );
  });

  it('floors a std relative to the mean, and uses 1 for an all-zero value', () => {
    expect(flooredStd(0.5, 100)).toBe(0.5);
    expect(flooredStd(0, 100)).toBeCloseTo(1e-4, 15);
    expect(flooredStd(0, 0)).toBe(1);
    expect(flooredStd(1e-9, 0)).toBe(1e-9);
  });
});
