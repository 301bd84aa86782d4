import FFT from 'fft.js';
import { ThrumError } from '../errors.js';
import { nextPowerOfTwo } from './bands.js';

/** Standard gravity, m/s² (ISO 80000-3; the g of accelerometer data sheets). */
export const STANDARD_GRAVITY = 9.80665;

/**
 * How samples map to acceleration: sample × sensitivity = acceleration in `unit` (e.g. unit 'g', sensitivity
 * 0.0039 for an ADXL345's 3.9 mg/LSB counts; sensitivity 1 when samples already are g or m/s²).
 */
export interface AccelerationUnits {
  unit: 'g' | 'm/s2';
  sensitivity?: number;
}

/**
 * ISO 10816-3 / 20816-3 measurement band for machines running above 600 rpm: 10-1000 Hz (2-1000 Hz for
 * 120-600 rpm, passed as `band`).
 */
export const ISO_BAND_HZ: readonly [number, number] = [10, 1000];

/**
 * Broadband vibration severity as ISO 10816-3 defines it: the RMS of vibration velocity over the measurement band,
 * in mm/s, from acceleration samples by integration in the frequency domain. Per channel, L samples at fs:
 *   a = (s − mean(s))·sensitivity·(9.80665 if g) in m/s²;  y = a·w (periodic Hann), zero padded to N = 2^k ≥ L;
 *   one-sided power p_k = c_k·|Y_k|²/(N·Σw²) (Σp_k = window-weighted mean square of a, as the spectrum feature);
 *   integration: velocity power p_k/(2π·f_k)², f_k = k·fs/N, kept for lo ≤ f_k ≤ hi;
 *   v_rms = 1000·√(Σ kept) mm/s.
 * Brick-wall band edges (the standard's filters have finite slopes: components right at 10 or 1000 Hz count here
 * fully or not at all). The Hann window keeps a strong low-frequency component from leaking past the 10 Hz edge;
 * the window must resolve that edge (bins at most `lo` Hz apart; ≥ 1 s windows are the sound choice, 0.3 s is the
 * least). Allocates nothing per call after construction.
 */
export class IsoVelocity {
  private readonly fft: FFT;
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly hann: Float64Array;
  private readonly weight: Float64Array;
  private readonly first: number;
  private readonly end: number;
  private readonly scale: number;

  constructor(
    readonly window: number,
    readonly sampleRate: number,
    units: AccelerationUnits,
    readonly band: readonly [number, number] = ISO_BAND_HZ,
  ) {
    const [lo, hi] = band;
    if (!(lo > 0 && lo < hi)) throw new ThrumError('BAD_USAGE', `ISO band ${lo}-${hi} Hz: need 0 < lo < hi`);
    if (hi > sampleRate / 2) {
      throw new ThrumError(
        'BAD_USAGE',
        `ISO velocity band reaches ${hi} Hz, above Nyquist (${sampleRate / 2} Hz at ${sampleRate} Hz): sample at ≥ ${2 * hi} Hz`,
      );
    }
    const n = nextPowerOfTwo(window);
    const binHz = sampleRate / n;
    if (binHz > lo) {
      throw new ThrumError(
        'BAD_USAGE',
        `ISO velocity: a ${window}-sample window at ${sampleRate} Hz has ${binHz.toFixed(2)} Hz bins, coarser than the ` +
          `${lo} Hz band edge: use at least ${Math.ceil(sampleRate / lo)} samples (≥ 1 s is recommended)`,
      );
    }
    const sensitivity = units.sensitivity ?? 1;
    if (!(sensitivity > 0)) throw new ThrumError('BAD_USAGE', `sensitivity must be > 0, got ${sensitivity}`);
    const toMs2 = sensitivity * (units.unit === 'g' ? STANDARD_GRAVITY : 1);
    this.fft = new FFT(n);
    this.input = new Float64Array(n);
    this.output = new Float64Array(2 * n);
    this.hann = new Float64Array(window);
    let sumW2 = 0;
    for (let i = 0; i < window; i++) {
      this.hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / window);
      sumW2 += this.hann[i] ** 2;
    }
    this.first = Math.ceil(lo / binHz);
    this.end = Math.floor(hi / binHz) + 1;
    // Per kept bin: the one-sided factor c_k (2, or 1 at Nyquist, which only a band reaching fs/2 includes; DC
    // never, lo > 0) over (2πf_k)², the integration.
    this.weight = new Float64Array(this.end - this.first);
    for (let k = this.first; k < this.end; k++) {
      const c = k === n / 2 ? 1 : 2;
      this.weight[k - this.first] = c / (2 * Math.PI * k * binHz) ** 2;
    }
    this.scale = (toMs2 * toMs2) / (n * sumW2);
  }

  /** Velocity RMS (mm/s) of channel `channel` of an interleaved window (`window` samples × `channels`). */
  rms(samples: ArrayLike<number>, channels = 1, channel = 0): number {
    const { input, output, hann } = this;
    const length = this.window;
    if (samples.length !== length * channels) {
      throw new RangeError(
        `IsoVelocity: ${samples.length} values, expected ${length} × ${channels} channels`,
      );
    }
    let mean = 0;
    for (let i = 0; i < length; i++) mean += samples[i * channels + channel] / length;
    for (let i = 0; i < length; i++) input[i] = (samples[i * channels + channel] - mean) * hann[i];
    this.fft.realTransform(output, input);
    let sum = 0;
    for (let k = this.first; k < this.end; k++) {
      const re = output[2 * k];
      const im = output[2 * k + 1];
      sum += (re * re + im * im) * this.weight[k - this.first];
    }
    return 1000 * Math.sqrt(sum * this.scale);
  }
}

/**
 * Velocity RMS in mm/s over the ISO band (default 10-1000 Hz), one value per channel of an interleaved window of
 * calibrated acceleration samples. The daemon would keep one IsoVelocity per window length instead (this builds
 * one per call).
 */
export function isoVelocityRms(
  window: ArrayLike<number>,
  channels: number,
  sampleRate: number,
  units: AccelerationUnits,
  band: readonly [number, number] = ISO_BAND_HZ,
): Float64Array {
  const meter = new IsoVelocity(window.length / channels, sampleRate, units, band);
  return Float64Array.from({ length: channels }, (_, c) => meter.rms(window, channels, c));
}
