import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { toFeatures, type WindowFeaturizer } from '../../../../runtime/operators/to-features.js';
import type { SampleWindow } from '../../../../runtime/operators/windows.js';
import { FeatureExtractor } from '../../../../shared/features/extractor.js';

/** Features = [sum, max] of the window: easy to check by hand. */
const sumMax: WindowFeaturizer = {
  size: 2,
  extract(window, out, offset = 0) {
    out[offset] = window.reduce((a, b) => a + b, 0);
    out[offset + 1] = Math.max(...window);
  },
};

const window = (i: number, values: number[]): SampleWindow => ({
  sensorId: 1,
  startSample: i,
  endSample: i + values.length,
  startTimeMs: i,
  endTimeMs: i + values.length - 1,
  samples: Float32Array.from(values),
});

describe('toFeatures', () => {
  it('fills each window’s vector and keeps its place in the stream', async () => {
    const out = await lastValueFrom(
      from([window(0, [1, 2, 3]), window(5, [4, 0, -1])]).pipe(
        toFeatures(sumMax),
        map((w) => ({ start: w.startSample, f: Array.from(w.features), has: 'samples' in w })),
        toArray(),
      ),
    );
    expect(out).toEqual([
      { start: 0, f: [6, 3], has: false },
      { start: 5, f: [3, 4], has: false },
    ]);
  });

  it('reuses a fixed pool of vectors instead of allocating one per window', async () => {
    const vectors = await lastValueFrom(
      from(Array.from({ length: 7 }, (_, i) => window(i, [i]))).pipe(
        toFeatures(sumMax, { poolSize: 3 }),
        map((w) => w.features),
        toArray(),
      ),
    );
    expect(vectors[3]).toBe(vectors[0]);
    expect(vectors[6]).toBe(vectors[0]);
    expect(new Set(vectors).size).toBe(3);
    expect(vectors[0].buffer).toBe(vectors[1].buffer);
  });

  it('computes what FeatureExtractor computes for the same window', async () => {
    const spec = { kinds: ['stats' as const], window: 8, hop: 8, channels: 1, sampleRate: 100 };
    const extractor = new FeatureExtractor(spec);
    const samples = [0.1, -0.3, 0.8, 0.2, -0.5, 0.9, 0, 0.4];
    const expected = new Float32Array(extractor.size);
    extractor.extract(Float32Array.from(samples), expected);
    const [got] = await lastValueFrom(
      from([window(0, samples)]).pipe(
        toFeatures(extractor),
        map((w) => Array.from(w.features)),
        toArray(),
      ),
    );
    expect(got).toEqual(Array.from(expected));
  });

  it('passes timing through and unsubscribes upstream', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--a---b---', { a: window(0, [1]), b: window(1, [2]) });
      const out = source.pipe(
        toFeatures(sumMax),
        map((w) => w.features[0]),
      );
      expectObservable(out, '^-----!').toBe('--x---', { x: 1 });
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });
});
