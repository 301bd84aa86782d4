// Test-side signal analysis with fft.js: amplitude and envelope spectra of one channel.
import FFT from 'fft.js';
import { parseSchedule, resolveSchedule } from '../../../../tools/sim/schedule.js';
import { VibrationSim } from '../../../../tools/sim/vibration-sim.js';

export const FS = 3200;
export const RPM = 1780;
export const SHAFT_HZ = RPM / 60;

/** `n` samples per channel of a sim at FS/RPM with the given `--schedule` text. */
export function simulate(schedule: string, n: number, seed = 1): Float32Array {
  const sim = new VibrationSim({
    sampleRate: FS,
    rpm: RPM,
    mains: 50,
    seed,
    faults: resolveSchedule(parseSchedule(schedule)),
  });
  const out = new Float32Array(n * 3);
  sim.fill(out);
  return out;
}

export function channel(samples: Float32Array, ch: number, channels = 3): Float64Array {
  const n = Math.floor(samples.length / channels);
  const out = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i * channels + ch]!;
  mean /= n;
  for (let i = 0; i < n; i++) out[i] = samples[i * channels + ch]! - mean;
  return out;
}

/** Single-sided amplitude spectrum (Hann window, amplitude-corrected); length a power of two. */
export function amplitudeSpectrum(x: Float64Array): Float64Array {
  const n = x.length;
  const fft = new FFT(n);
  const input = new Array<number>(n);
  for (let i = 0; i < n; i++) input[i] = x[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  const mag = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) mag[k] = (Math.hypot(out[2 * k]!, out[2 * k + 1]!) * 4) / n;
  return mag;
}

/**
 * Envelope spectrum: band-pass [loHz, hiHz] around the resonance, analytic signal (Hilbert via FFT), its
 * magnitude, then the amplitude spectrum of that envelope. Impacts show up at their repetition rate.
 */
export function envelopeSpectrum(x: Float64Array, loHz: number, hiHz: number): Float64Array {
  const n = x.length;
  const fft = new FFT(n);
  const spec = fft.createComplexArray() as number[];
  fft.toComplexArray(Array.from(x), spec);
  const freq = fft.createComplexArray() as number[];
  fft.transform(freq, spec);
  for (let k = 0; k < n; k++) {
    const hz = (k * FS) / n;
    // Keep positive frequencies inside the band, doubled; drop the rest: the inverse is the analytic signal.
    const keep = k < n / 2 && hz >= loHz && hz <= hiHz ? 2 : 0;
    freq[2 * k] = freq[2 * k]! * keep;
    freq[2 * k + 1] = freq[2 * k + 1]! * keep;
  }
  const analytic = fft.createComplexArray() as number[];
  fft.inverseTransform(analytic, freq);
  const env = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    env[i] = Math.hypot(analytic[2 * i]!, analytic[2 * i + 1]!);
    mean += env[i]!;
  }
  mean /= n;
  for (let i = 0; i < n; i++) env[i] = env[i]! - mean;
  return amplitudeSpectrum(env);
}

export const binHz = (n: number) => FS / n;

/** Largest amplitude within ±tol (relative) of hz. */
export function peakNear(spec: Float64Array, n: number, hz: number, tol = 0.015): number {
  const lo = Math.floor((hz * (1 - tol)) / binHz(n));
  const hi = Math.ceil((hz * (1 + tol)) / binHz(n));
  let best = 0;
  for (let k = lo; k <= hi; k++) best = Math.max(best, spec[k]!);
  return best;
}

/** Frequency of the largest bin in [loHz, hiHz]. */
export function argmaxHz(spec: Float64Array, n: number, loHz: number, hiHz: number): number {
  let best = -1;
  let at = 0;
  for (let k = Math.ceil(loHz / binHz(n)); k <= Math.floor(hiHz / binHz(n)); k++) {
    if (spec[k]! > best) {
      best = spec[k]!;
      at = k;
    }
  }
  return at * binHz(n);
}

/** Median amplitude in [loHz, hiHz]: the noise floor a line must stand out from. */
export function medianIn(spec: Float64Array, n: number, loHz: number, hiHz: number): number {
  const values = Array.from(spec.subarray(Math.ceil(loHz / binHz(n)), Math.floor(hiHz / binHz(n)) + 1));
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}
