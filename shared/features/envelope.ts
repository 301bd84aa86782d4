import FFT from 'fft.js';
import { defectOrders } from '../bearing.js';
import { ThrumError } from '../errors.js';
import { type BandLayout, bandLayout } from './bands.js';
import type { KindComputer } from './kind.js';
import type { EnvelopeParams, FeatureSpec } from './spec.js';
import { SPECTRUM_EPS } from './spectrum.js';

/** Defect lines in label order: outer race, inner race, ball spin, cage. */
export const DEFECTS = ['bpfo', 'bpfi', 'bsf', 'ftf'] as const;

/**
 * `envelope` (envelope analysis of rolling-element bearings, e.g. Randall & Antoni 2011, "Rolling element bearing
 * diagnostics — a tutorial", MSSP 25): a local defect strikes at its defect frequency f_d and each impact rings a
 * structural resonance far above f_d; the vibration's spectrum shows the resonance, its *envelope's* spectrum
 * shows f_d. For one channel-standardized window x of L samples, N = next power of two ≥ L:
 *   X = FFT_N(x − mean(x)) (zero padded);
 *   analytic band-pass: A_k = 2·X_k for bandLoHz ≤ k·fs/N ≤ bandHiHz (0 < k < N/2), else 0; a = IFFT_N(A), so
 *     Re a is x band-passed and |a| its Hilbert envelope;
 *   e_n = |a_n| for n < L; y = (e − mean(e))·Hann, zero padded; power p_k = c_k·|Y_k|²/(N·Σw²) as in `spectrum`;
 *   band values ln(1e-10 + Σ_{k in band} p_k) over the `envelope` section's bands (bands.ts, key 'envelope');
 *   with `defects`: for each of BPFO, BPFI, BSF, FTF (orders from the bearing geometry × shaftHz) and harmonic
 *     h = 1..harmonics, ln(1e-10 + power in [h·f(1 − tol), h·f(1 + tol)], widened to the nearest bin ± 1 so the
 *     Hann main lobe of a line between bins is caught).
 * The FFT band-pass is circular over the window; a window of several defect periods (L/fs ≫ 1/f_d) keeps the
 * edge effect small and resolves f_d (bins are fs/N apart).
 */
export class EnvelopeFeature implements KindComputer {
  readonly kind = 'envelope' as const;
  readonly size: number;
  readonly labels: readonly string[];
  readonly layout: BandLayout;
  /** Defect line frequencies, Hz, in label order after the bands. */
  readonly lineHz: readonly number[];
  private readonly fft: FFT;
  private readonly padded: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly analyticSpectrum: Float64Array;
  private readonly analytic: Float64Array;
  private readonly hann: Float64Array;
  private readonly powerScale: number;
  private readonly passFirst: number;
  private readonly passEnd: number;
  private readonly lineFirst: Int32Array;
  private readonly lineEnd: Int32Array;

  constructor(spec: FeatureSpec) {
    this.layout = bandLayout(spec, 'envelope');
    const params = spec.envelope as EnvelopeParams;
    const n = this.layout.fftSize;
    const binHz = this.layout.binHz;
    const nyquist = spec.sampleRate / 2;
    if (!(params.bandLoHz < params.bandHiHz && params.bandHiHz <= nyquist)) {
      throw new ThrumError(
        'BAD_USAGE',
        `envelope band-pass ${params.bandLoHz}-${params.bandHiHz} Hz must satisfy lo < hi ≤ Nyquist (${nyquist} Hz)`,
      );
    }
    this.passFirst = Math.max(1, Math.ceil(params.bandLoHz / binHz));
    this.passEnd = Math.min(n / 2, Math.floor(params.bandHiHz / binHz) + 1);
    if (this.passEnd <= this.passFirst) {
      throw new ThrumError(
        'BAD_USAGE',
        `envelope band-pass ${params.bandLoHz}-${params.bandHiHz} Hz holds no FFT bin (bins ${binHz.toFixed(2)} Hz apart): widen it or lengthen the window`,
      );
    }
    const lines = defectLines(params, nyquist);
    this.lineHz = lines.map((l) => l.hz);
    this.lineFirst = Int32Array.from(lines, (l) =>
      Math.max(0, Math.min(Math.floor((l.hz * (1 - l.tol)) / binHz), Math.round(l.hz / binHz) - 1)),
    );
    this.lineEnd = Int32Array.from(lines, (l) =>
      Math.min(n / 2, Math.max(Math.ceil((l.hz * (1 + l.tol)) / binHz), Math.round(l.hz / binHz) + 1) + 1),
    );
    const bands = this.layout.firstBin.length;
    this.size = bands + lines.length;
    this.labels = [...Array.from({ length: bands }, (_, b) => `b${b}`), ...lines.map((l) => l.label)];
    this.fft = new FFT(n);
    this.padded = new Float64Array(n);
    this.spectrum = new Float64Array(2 * n);
    this.analyticSpectrum = new Float64Array(2 * n);
    this.analytic = new Float64Array(2 * n);
    this.hann = new Float64Array(spec.window);
    let sumW2 = 0;
    for (let i = 0; i < spec.window; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / spec.window);
      this.hann[i] = w;
      sumW2 += w * w;
    }
    this.powerScale = 1 / (n * sumW2);
  }

  compute(x: Float64Array, out: Float64Array, offset: number): void {
    const { padded, spectrum, analyticSpectrum, analytic, hann } = this;
    const length = hann.length;
    let mean = 0;
    for (let i = 0; i < length; i++) mean += x[i] / length;
    for (let i = 0; i < length; i++) padded[i] = x[i] - mean;
    padded.fill(0, length);
    this.fft.realTransform(spectrum, padded);
    analyticSpectrum.fill(0);
    for (let k = this.passFirst; k < this.passEnd; k++) {
      analyticSpectrum[2 * k] = 2 * spectrum[2 * k];
      analyticSpectrum[2 * k + 1] = 2 * spectrum[2 * k + 1];
    }
    this.fft.inverseTransform(analytic, analyticSpectrum);
    let envMean = 0;
    for (let i = 0; i < length; i++) {
      const e = Math.hypot(analytic[2 * i], analytic[2 * i + 1]);
      padded[i] = e;
      envMean += e / length;
    }
    for (let i = 0; i < length; i++) padded[i] = (padded[i] - envMean) * hann[i];
    padded.fill(0, length);
    this.fft.realTransform(spectrum, padded);
    const { firstBin, endBin } = this.layout;
    const bands = firstBin.length;
    for (let b = 0; b < bands; b++)
      out[offset + b] = Math.log(SPECTRUM_EPS + this.power(firstBin[b], endBin[b]));
    for (let j = 0; j < this.lineFirst.length; j++) {
      out[offset + bands + j] = Math.log(SPECTRUM_EPS + this.power(this.lineFirst[j], this.lineEnd[j]));
    }
  }

  /** One-sided power of bins [first, end) of the envelope spectrum last computed. */
  private power(first: number, end: number): number {
    const nyquist = this.layout.fftSize / 2;
    let p = 0;
    for (let k = first; k < end; k++) {
      const re = this.spectrum[2 * k];
      const im = this.spectrum[2 * k + 1];
      p += (k === 0 || k === nyquist ? 1 : 2) * (re * re + im * im);
    }
    return p * this.powerScale;
  }
}

interface Line {
  label: string;
  hz: number;
  tol: number;
}

/** The defect lines to measure: each defect × harmonic, e.g. `bpfo1x`, `bpfo2x`; must lie below Nyquist. */
function defectLines(params: EnvelopeParams, nyquist: number): Line[] {
  const d = params.defects;
  if (!d) return [];
  const orders = defectOrders(d.bearing);
  const harmonics = d.harmonics ?? 2;
  const tol = d.tolerance ?? 0.02;
  const lines: Line[] = [];
  for (const name of DEFECTS) {
    for (let h = 1; h <= harmonics; h++) {
      const hz = h * orders[name] * d.shaftHz;
      if (hz * (1 + tol) >= nyquist) {
        throw new ThrumError(
          'BAD_USAGE',
          `envelope defect line ${name} ×${h} at ${hz.toFixed(1)} Hz is not below Nyquist (${nyquist} Hz): use fewer harmonics`,
        );
      }
      lines.push({ label: `${name}${h}x`, hz, tol });
    }
  }
  return lines;
}
