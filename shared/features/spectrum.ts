import FFT from 'fft.js';
import { type BandLayout, bandLayout } from './bands.js';
import type { KindComputer } from './kind.js';
import type { FeatureSpec } from './spec.js';

/** Added to every band's power before the log, so silence gives ln(1e-10) ≈ −23 instead of −∞. */
export const SPECTRUM_EPS = 1e-10;

/**
 * `spectrum`: log band powers of one channel-standardized window x of L samples.
 *   y_n = (x_n − mean(x)) · w_n,  w_n = 0.5 − 0.5·cos(2πn/L)  (periodic Hann), n < L; y_n = 0 for L ≤ n < N
 *   X_k = real FFT of y at size N = next power of two ≥ L (zero padding only refines the bin grid)
 *   p_k = c_k·|X_k|² / (N·Σw_n²),  c_k = 1 for k = 0 and k = N/2, else 2   (one-sided power)
 *   value_b = ln(SPECTRUM_EPS + Σ_{k in band b} p_k)
 * By Parseval Σ_k p_k = Σy²/Σw², the window-weighted mean square, so a band's power is in (channel std)²
 * units and a sine of amplitude A puts ≈ A²/2 into the band(s) around its frequency. Bands hold a *sum*, not a
 * mean, so a tone's own band stays the largest whatever the band widths (log bands differ a lot); after
 * feature standardization the two differ only by a constant per band. Bins go to bands by bands.ts.
 */
export class SpectrumFeature implements KindComputer {
  readonly kind = 'spectrum' as const;
  readonly size: number;
  readonly labels: readonly string[];
  readonly layout: BandLayout;
  private readonly fft: FFT;
  private readonly hann: Float64Array;
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly powerScale: number;

  constructor(spec: FeatureSpec) {
    this.layout = bandLayout(spec);
    const n = this.layout.fftSize;
    this.size = this.layout.firstBin.length;
    this.labels = Array.from({ length: this.size }, (_, b) => `b${b}`);
    this.fft = new FFT(n);
    this.input = new Float64Array(n); // the zero padding beyond the window is never written
    this.output = new Float64Array(2 * n);
    const length = spec.window;
    this.hann = new Float64Array(length);
    let sumW2 = 0;
    for (let i = 0; i < length; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
      this.hann[i] = w;
      sumW2 += w * w;
    }
    this.powerScale = 1 / (n * sumW2);
  }

  compute(x: Float64Array, out: Float64Array, offset: number): void {
    const { hann, input, output } = this;
    const length = hann.length;
    let sum = 0;
    for (let i = 0; i < length; i++) sum += x[i];
    const mean = sum / length;
    for (let i = 0; i < length; i++) input[i] = (x[i] - mean) * hann[i];
    this.fft.realTransform(output, input);
    const { firstBin, endBin, fftSize } = this.layout;
    const nyquist = fftSize / 2;
    for (let b = 0; b < this.size; b++) {
      let power = 0;
      for (let k = firstBin[b]; k < endBin[b]; k++) {
        const re = output[2 * k];
        const im = output[2 * k + 1];
        power += (k === 0 || k === nyquist ? 1 : 2) * (re * re + im * im);
      }
      out[offset + b] = Math.log(SPECTRUM_EPS + power * this.powerScale);
    }
  }
}
