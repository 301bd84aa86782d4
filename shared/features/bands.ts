import { ThrumError } from '../errors.js';
import type { FeatureSpec, SpectrumParams } from './spec.js';

/**
 * The frequency grid of the `spectrum` feature. A window of L samples is zero-padded to N = the next power of
 * two ≥ L (fft.js needs powers of two), so bin k (0 ≤ k ≤ N/2) sits at k·sampleRate/N Hz.
 *
 * Band edges e_0 < e_1 < … < e_B (B = spectrum.bands) split [lo, maxHz]:
 * - linear: e_i = lo + (maxHz − lo)·i/B, lo = minHz;
 * - log:    e_i = lo·(maxHz/lo)^(i/B), lo = minHz, or the first non-DC bin (sampleRate/N) when minHz is 0.
 * Band b holds the frequencies e_b ≤ f < e_(b+1); the last band also holds f = maxHz. The same rule assigns
 * FFT bins to bands and answers bandOf(), so a tone at a bin frequency always lands in bandOf(that frequency).
 */
export interface BandLayout {
  /** FFT size (power of two ≥ window). */
  fftSize: number;
  /** Hz between FFT bins: sampleRate / fftSize. */
  binHz: number;
  /** B + 1 edges in Hz. */
  edges: Float64Array;
  /** Band b covers bins firstBin[b] ≤ k < endBin[b]. */
  firstBin: Int32Array;
  endBin: Int32Array;
}

export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/** Which section's bands: `spectrum` (the signal) or `envelope` (the envelope spectrum), named in errors. */
export type BandedKind = 'spectrum' | 'envelope';

function paramsOf(spec: FeatureSpec, key: BandedKind = 'spectrum'): SpectrumParams {
  const section = spec[key];
  if (!section) {
    throw new ThrumError(
      'BAD_USAGE',
      key === 'spectrum'
        ? 'feature spec: kind "spectrum" needs a `spectrum` section ({bands, maxHz, minHz?, scale?})'
        : 'feature spec: kind "envelope" needs an `envelope` section ({bandLoHz, bandHiHz, bands, maxHz, ...})',
    );
  }
  // The spec may arrive unparsed (zod defaults not applied yet).
  const { bands, maxHz, minHz, scale } = section;
  return { bands, maxHz, minHz: minHz ?? 0, scale: scale ?? 'linear' };
}

function bandEdges(spec: FeatureSpec, params: SpectrumParams): Float64Array {
  const { bands, maxHz, minHz, scale } = params;
  const edges = new Float64Array(bands + 1);
  if (scale === 'log') {
    const lo = minHz > 0 ? minHz : spec.sampleRate / nextPowerOfTwo(spec.window);
    for (let i = 0; i <= bands; i++) edges[i] = lo * (maxHz / lo) ** (i / bands);
  } else {
    for (let i = 0; i <= bands; i++) edges[i] = minHz + ((maxHz - minHz) * i) / bands;
  }
  edges[bands] = maxHz; // exactly, whatever the rounding of the power above
  return edges;
}

function bandOfEdges(edges: Float64Array, hz: number): number {
  const last = edges.length - 1;
  if (!(hz >= edges[0] && hz <= edges[last])) return -1;
  if (hz === edges[last]) return last - 1;
  let lo = 0;
  let hi = last; // invariant: edges[lo] ≤ hz < edges[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= hz) lo = mid;
    else hi = mid;
  }
  return lo;
}

function checkParams(spec: FeatureSpec, params: SpectrumParams, key: BandedKind): void {
  const nyquist = spec.sampleRate / 2;
  if (!Number.isInteger(params.bands) || params.bands < 1) {
    throw new ThrumError('BAD_USAGE', `${key}.bands must be a positive integer, got ${params.bands}`);
  }
  if (params.maxHz > nyquist) {
    throw new ThrumError(
      'BAD_USAGE',
      `${key}.maxHz ${params.maxHz} is above the Nyquist frequency ${nyquist} Hz (sampleRate ${spec.sampleRate} / 2): ` +
        `set ${key}.maxHz to at most ${nyquist}`,
    );
  }
  if (!(params.minHz < params.maxHz)) {
    throw new ThrumError(
      'BAD_USAGE',
      `${key}.minHz ${params.minHz} must be below ${key}.maxHz ${params.maxHz}: lower ${key}.minHz`,
    );
  }
  if (spec.window < 2) {
    throw new ThrumError('BAD_USAGE', `feature spec: kind "${key}" needs window ≥ 2, got ${spec.window}`);
  }
}

/**
 * Computes (and validates) the bin-to-band layout of the `spectrum` section, or of the `envelope` section's
 * envelope spectrum (same grid: the envelope has the window's length and rate); throws ThrumError BAD_USAGE
 * naming the setting to fix.
 */
export function bandLayout(spec: FeatureSpec, key: BandedKind = 'spectrum'): BandLayout {
  const params = paramsOf(spec, key);
  checkParams(spec, params, key);
  const fftSize = nextPowerOfTwo(spec.window);
  const binHz = spec.sampleRate / fftSize;
  const edges = bandEdges(spec, params);
  const firstBin = new Int32Array(params.bands).fill(-1);
  const endBin = new Int32Array(params.bands);
  for (let k = 0; k <= fftSize / 2; k++) {
    const b = bandOfEdges(edges, k * binHz);
    if (b < 0) continue;
    if (firstBin[b] < 0) firstBin[b] = k;
    endBin[b] = k + 1;
  }
  const empty = firstBin.indexOf(-1);
  if (empty >= 0) {
    const fix =
      params.scale === 'log'
        ? `use fewer ${key}.bands, a higher ${key}.minHz, or a longer window`
        : `use fewer ${key}.bands or a longer window`;
    throw new ThrumError(
      'BAD_USAGE',
      `${key}.bands ${params.bands}: band ${empty} (${edges[empty].toFixed(2)}–${edges[empty + 1].toFixed(2)} Hz) ` +
        `holds no FFT bin (bins are ${binHz.toFixed(2)} Hz apart at window ${spec.window}, FFT size ${fftSize}, ` +
        `sampleRate ${spec.sampleRate}): ${fix}`,
    );
  }
  return { fftSize, binHz, edges, firstBin, endBin };
}

/** [loHz, hiHz] of a band: it holds loHz ≤ f < hiHz (the last band also f = hiHz = maxHz). */
export function frequencyOfBand(
  spec: FeatureSpec,
  band: number,
  key: BandedKind = 'spectrum',
): [number, number] {
  const params = paramsOf(spec, key);
  if (!Number.isInteger(band) || band < 0 || band >= params.bands) {
    throw new RangeError(`band ${band} is outside 0..${params.bands - 1}`);
  }
  const edges = bandEdges(spec, params);
  return [edges[band], edges[band + 1]];
}

/** Index of the band holding `hz`, or -1 when hz lies outside [lowest edge, maxHz]. */
export function bandOf(spec: FeatureSpec, hz: number, key: BandedKind = 'spectrum'): number {
  return bandOfEdges(bandEdges(spec, paramsOf(spec, key)), hz);
}
