import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import { bandOf, FeatureExtractor } from '../../../../shared/features/extractor.js';
import type { FeatureSpec, SpectrumParams } from '../../../../shared/features/spec.js';
import { SPECTRUM_EPS, SpectrumFeature } from '../../../../shared/features/spectrum.js';

function specOf(window: number, sampleRate: number, spectrum: Partial<SpectrumParams>): FeatureSpec {
  const params = { bands: 8, maxHz: sampleRate / 2, minHz: 0, scale: 'linear' as const, ...spectrum };
  return { kinds: ['spectrum'], window, hop: window, channels: 1, sampleRate, spectrum: params };
}

function bandsOf(spec: FeatureSpec, signal: (i: number) => number): number[] {
  const feature = new SpectrumFeature(spec);
  const out = new Float64Array(feature.size);
  feature.compute(
    Float64Array.from({ length: spec.window }, (_, i) => signal(i)),
    out,
    0,
  );
  return Array.from(out);
}

const sine =
  (amplitude: number, hz: number, sampleRate: number, offset = 0) =>
  (i: number) =>
    offset + amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate + 0.3);

const argmax = (values: number[]) => values.indexOf(Math.max(...values));
const silent = Math.log(SPECTRUM_EPS);

describe('spectrum feature', () => {
  // sampleRate 1024, window 256: bins 4 Hz apart; 16 linear bands of 32 Hz = bins 8b..8b+7.
  const grid = specOf(256, 1024, { bands: 16 });

  it('a bin-centred sine of amplitude A puts A²/2 into its band, nothing elsewhere', () => {
    // Hann: bin k gets A²/3, bins k±1 get A²/12 each; bins 19..21 all lie in band 2.
    const values = bandsOf(grid, sine(2, 80, 1024));
    expect(values[2]).toBeCloseTo(Math.log(2 + SPECTRUM_EPS), 9);
    for (const [b, v] of values.entries()) if (b !== 2) expect(v).toBeCloseTo(silent, 3);
  });

  it('applies a Hann window: the neighbouring bin carries A²/12 into the next band', () => {
    // 92 Hz = bin 23, the last bin of band 2; bin 24 opens band 3. A rectangular window would leave band 3 silent.
    const values = bandsOf(grid, sine(2, 92, 1024));
    expect(values[2]).toBeCloseTo(Math.log((5 * 4) / 12), 9);
    expect(values[3]).toBeCloseTo(Math.log(4 / 12), 9);
    expect(values[1]).toBeCloseTo(silent, 3);
  });

  it('removes the window mean: an offset changes nothing and a constant is silent', () => {
    const plain = bandsOf(grid, sine(1, 200, 1024));
    const offset = bandsOf(grid, sine(1, 200, 1024, 7));
    for (const [b, v] of offset.entries()) expect(v).toBeCloseTo(plain[b], 6);
    expect(bandsOf(grid, () => 3)).toEqual(Array(16).fill(silent));
  });

  it('lands a pure sine in bandOf(f) for frequencies across linear bands', () => {
    const spec = specOf(256, 1000, { bands: 10 }); // 50 Hz bands, bins 3.9 Hz apart
    for (let band = 0; band < 10; band++) {
      for (const at of [0.3, 0.5, 0.7]) {
        const hz = 50 * (band + at);
        expect(bandOf(spec, hz)).toBe(band);
        expect(argmax(bandsOf(spec, sine(1, hz, 1000)))).toBe(band);
      }
    }
  });

  it('lands a pure sine in bandOf(f) for frequencies across log bands (non power-of-2 window)', () => {
    const spec = specOf(1000, 1000, { bands: 6, minHz: 20, maxHz: 500, scale: 'log' });
    const ratio = (500 / 20) ** (1 / 6);
    for (let band = 0; band < 6; band++) {
      for (const at of [0.3, 0.5, 0.7]) {
        const hz = 20 * ratio ** (band + at);
        expect(bandOf(spec, hz)).toBe(band);
        expect(argmax(bandsOf(spec, sine(1, hz, 1000)))).toBe(band);
      }
    }
  });

  it('zero-pads a non power-of-2 window and keeps Parseval: Σ band powers = Σ(x·w)²/Σw²', () => {
    const spec = specOf(1000, 1000, { bands: 8 });
    expect(new SpectrumFeature(spec).layout.fftSize).toBe(1024);
    let seed = 12345;
    const noise = Array.from({ length: 1000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5 + 4;
    });
    const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
    let sumY2 = 0;
    let sumW2 = 0;
    for (const [n, x] of noise.entries()) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 1000);
      sumY2 += ((x - mean) * w) ** 2;
      sumW2 += w * w;
    }
    const total = bandsOf(spec, (i) => noise[i]).reduce((sum, v) => sum + Math.exp(v) - SPECTRUM_EPS, 0);
    expect(total / (sumY2 / sumW2)).toBeCloseTo(1, 9);
  });

  it('runs per channel in the extractor, on channel-standardized samples', () => {
    const spec = { ...grid, channels: 2 };
    const window = new Float32Array(512);
    for (let i = 0; i < 256; i++) {
      window[2 * i] = 5 + 4 * Math.sin((2 * Math.PI * 80 * i) / 1024); // std 2 → amplitude 2 → A²/2 = 2 in band 2
      window[2 * i + 1] = Math.sin((2 * Math.PI * 300 * i) / 1024); // 300 Hz → band 9
    }
    const norm = {
      channelMean: [5, 0],
      channelStd: [2, 1],
      featureMean: Array(32).fill(0),
      featureStd: Array(32).fill(1),
    };
    const out = new Float32Array(32);
    new FeatureExtractor(spec, norm).extract(window, out);
    expect(out[2]).toBeCloseTo(Math.log(2), 5);
    expect(argmax(Array.from(out.subarray(16)))).toBe(9);
    expect(out[16 + 9]).toBeCloseTo(Math.log(0.5), 5);
  });

  it('rejects a maxHz above Nyquist, naming spectrum.maxHz and the limit', () => {
    const make = () => new SpectrumFeature(specOf(256, 1000, { maxHz: 600 }));
    expect(make).toThrow(ThrumError);
    expect(make).toThrow(/spectrum\.maxHz 600 is above the Nyquist frequency 500 Hz.*at most 500/);
    try {
      make();
    } catch (error) {
      expect((error as ThrumError).code).toBe('BAD_USAGE');
    }
  });

  it('rejects bands that hold no FFT bin, naming spectrum.bands and the fix', () => {
    // 64 samples at 1000 Hz: bins 15.6 Hz apart, but 64 bands of 7.8 Hz.
    expect(() => new SpectrumFeature(specOf(64, 1000, { bands: 64 }))).toThrow(
      /spectrum\.bands 64: band 1 .* holds no FFT bin .*use fewer spectrum\.bands or a longer window/,
    );
    expect(() => new SpectrumFeature(specOf(64, 1000, { bands: 8, minHz: 1, scale: 'log' }))).toThrow(
      /spectrum\.bands 8: band 0 .*higher spectrum\.minHz/,
    );
    expect(() => new SpectrumFeature(specOf(64, 1000, { bands: 8, minHz: 400, maxHz: 300 }))).toThrow(
      /spectrum\.minHz 400 must be below spectrum\.maxHz 300/,
    );
  });

  it('asks for the spectrum section when the kind is listed without it', () => {
    const spec: FeatureSpec = { kinds: ['spectrum'], window: 64, hop: 64, channels: 1, sampleRate: 100 };
    expect(() => new FeatureExtractor(spec)).toThrow(/kind "spectrum" needs a `spectrum` section/);
  });
});
