import FFT from 'fft.js';
import { FeatureExtractor } from '../shared/features/extractor.js';
import type { FeatureKind, FeatureSpec } from '../shared/features/spec.js';
import { BENCH_CHANNELS, BENCH_SAMPLE_RATE, simulatedSamples } from './bench-bundle.js';
import { Radix2Fft } from './radix2-fft.js';
import type { Measured } from './stats.js';
import { type Effort, timePeersSync } from './timing.js';

export const FEATURE_WINDOWS = [256, 512, 1024, 2048, 4096] as const;
const KINDS: FeatureKind[][] = [['raw'], ['stats'], ['spectrum'], ['spectrum', 'stats']];

export interface FeatureRow {
  window: number;
  /** `spectrum+stats` for a combination. */
  kind: string;
  values: number;
  /** µs per 3-channel window, through FeatureExtractor.extract with a normalization (what the device runs). */
  usPerWindow: Measured;
}

export interface FftRow {
  size: number;
  /** µs per transform of a real signal. */
  fftJsReal: Measured;
  fftJsComplex: Measured;
  radix2: Measured;
  radix2OverFftJsReal: number;
}

export interface FeaturesResult {
  rows: FeatureRow[];
  fft: FftRow[];
  fftNote: string;
}

export const FFT_NOTE =
  'fft.js 4.0.4 (radix-4, what shared/features/spectrum.ts uses) against a plain radix-2 reference in ' +
  'bench/radix2-fft.ts. Faster candidates from the npm list are not installed: @echogarden/pffft-wasm ' +
  '(PFFFT, SIMD) is the one to try, then kissfft-wasm / webfft.';

function specFor(kinds: FeatureKind[], window: number): FeatureSpec {
  return {
    kinds,
    window,
    hop: window,
    channels: BENCH_CHANNELS,
    sampleRate: BENCH_SAMPLE_RATE,
    // The trainer's default band count: min(32, N/4).
    spectrum: { bands: Math.min(32, window / 4), maxHz: BENCH_SAMPLE_RATE / 2, minHz: 0, scale: 'linear' },
  };
}

/** An extractor with a neutral normalization: same arithmetic as a real bundle's, values unchanged. */
function extractorFor(kinds: FeatureKind[], window: number): FeatureExtractor {
  const spec = specFor(kinds, window);
  const size = new FeatureExtractor(spec).size;
  return new FeatureExtractor(spec, {
    channelMean: new Array(BENCH_CHANNELS).fill(0),
    channelStd: new Array(BENCH_CHANNELS).fill(1),
    featureMean: new Array(size).fill(0),
    featureStd: new Array(size).fill(1),
  });
}

export function benchFeatures(effort: Effort, progress: (line: string) => void): FeaturesResult {
  const maxWindow = Math.max(...FEATURE_WINDOWS);
  const samples = simulatedSamples((maxWindow * 4) / BENCH_SAMPLE_RATE, 5);
  const rows: FeatureRow[] = [];
  for (const window of FEATURE_WINDOWS) {
    progress(`features: window ${window}`);
    // Four windows of real signal, taken in turn, so no single window's values are special.
    const windows = Array.from({ length: 4 }, (_, i) =>
      samples.subarray(i * window * BENCH_CHANNELS, (i + 1) * window * BENCH_CHANNELS),
    );
    const extractors = KINDS.map((kinds) => ({
      name: kinds.join('+'),
      extractor: extractorFor(kinds, window),
    }));
    const peers = extractors.map(({ name, extractor }) => {
      const out = new Float32Array(extractor.size);
      let i = 0;
      return { name, op: () => extractor.extract(windows[i++ & 3], out) };
    });
    const t = timePeersSync(peers, effort);
    for (const { name, extractor } of extractors) {
      rows.push({ window, kind: name, values: extractor.size, usPerWindow: t[name] });
    }
  }
  return { rows, fft: benchFft(effort, samples), fftNote: FFT_NOTE };
}

function benchFft(effort: Effort, samples: Float32Array): FftRow[] {
  return FEATURE_WINDOWS.map((size) => {
    const input = Float64Array.from(samples.subarray(0, size));
    const complexInput = new Float64Array(2 * size);
    for (let i = 0; i < size; i++) complexInput[2 * i] = input[i];
    const out = new Float64Array(2 * size);
    const fftJs = new FFT(size);
    const radix2 = new Radix2Fft(size);
    const t = timePeersSync(
      [
        { name: 'fftJsReal', op: () => fftJs.realTransform(out, input) },
        { name: 'fftJsComplex', op: () => fftJs.transform(out, complexInput) },
        { name: 'radix2', op: () => radix2.realTransform(out, input) },
      ],
      effort,
    );
    return {
      size,
      fftJsReal: t.fftJsReal,
      fftJsComplex: t.fftJsComplex,
      radix2: t.radix2,
      radix2OverFftJsReal: t.radix2.median / t.fftJsReal.median,
    };
  });
}
