import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandLayout, bandOf, frequencyOfBand } from '../../../../shared/features/bands.js';
import type { FeatureSpec, SpectrumParams } from '../../../../shared/features/spec.js';

function specOf(window: number, sampleRate: number, spectrum: Partial<SpectrumParams>): FeatureSpec {
  const params = { bands: 8, maxHz: sampleRate / 2, minHz: 0, scale: 'linear' as const, ...spectrum };
  return { kinds: ['spectrum'], window, hop: window, channels: 1, sampleRate, spectrum: params };
}

describe('spectrum bands', () => {
  it('linear edges split [minHz, maxHz] evenly; the last band includes maxHz', () => {
    const spec = specOf(256, 1000, { bands: 5, minHz: 0, maxHz: 500 });
    expect([0, 1, 2, 3, 4].map((b) => frequencyOfBand(spec, b))).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
      [300, 400],
      [400, 500],
    ]);
    expect([0, 99.99, 100, 499.9, 500].map((hz) => bandOf(spec, hz))).toEqual([0, 0, 1, 4, 4]);
    expect(bandOf(spec, 500.01)).toBe(-1);
  });

  it('log edges grow by a constant ratio', () => {
    const spec = specOf(4096, 4000, { bands: 3, minHz: 2, maxHz: 2000, scale: 'log' });
    const edges = [0, 1, 2].map((b) => frequencyOfBand(spec, b));
    expect(edges[0][0]).toBe(2);
    expect(edges[0][1]).toBeCloseTo(20, 9);
    expect(edges[1][1]).toBeCloseTo(200, 9);
    expect(edges[2][1]).toBe(2000);
    expect(bandOf(spec, 1.9)).toBe(-1);
    expect(bandOf(spec, 30)).toBe(1);
  });

  it('log scale with minHz 0 starts at the first non-DC bin', () => {
    const spec = specOf(1000, 1024, { bands: 4, scale: 'log' }); // FFT 1024 → bins 1 Hz apart
    expect(frequencyOfBand(spec, 0)[0]).toBe(1);
    expect(bandOf(spec, 0)).toBe(-1);
  });

  it('assigns every bin in range to exactly the band bandOf() names (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 11 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (log2Window, bands, log) => {
          const window = 2 ** log2Window;
          const spec = specOf(window, 1000, { bands, minHz: log ? 20 : 0, scale: log ? 'log' : 'linear' });
          const layout = bandLayout(spec);
          const ranges = Array.from({ length: bands }, (_, b) => frequencyOfBand(spec, b));
          const wrong: number[] = [];
          for (let k = 0; k <= window / 2; k++) {
            const hz = k * layout.binHz;
            const b = bandOf(spec, hz);
            if (b < 0) continue;
            const inBins = k >= layout.firstBin[b] && k < layout.endBin[b];
            const inHz = hz >= ranges[b][0] && hz <= ranges[b][1];
            if (!inBins || !inHz) wrong.push(k);
          }
          expect(wrong).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects a band index out of range', () => {
    expect(() => frequencyOfBand(specOf(256, 1000, { bands: 4 }), 4)).toThrow(/band 4 is outside 0\.\.3/);
  });
});
