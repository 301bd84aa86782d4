import { parseBearing } from '../shared/bearing.js';
import { ThrumError } from '../shared/errors.js';
import type { EnvelopeParams, FeatureSpec } from '../shared/features/spec.js';
import type { Recording } from './loaders/recording.js';
import type { TrainOptions } from './options.js';

/** At this rate and above the data is a vibration waveform: spectra of long windows. Below it, slow sensors. */
const WAVEFORM_HZ = 500;

function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/**
 * Feature spec from the options, with defaults that suit the data: kHz waveforms (CWRU, an accelerometer)
 * get window 1024 / hop 512 and a 32-band spectrum up to Nyquist; slow sensors (SKAB at 1 Hz) get window 16 /
 * hop 1 of raw standardized samples. `envelope` gets the defaults of envelopeParams().
 */
export function resolveSpec(recordings: Recording[], o: TrainOptions): FeatureSpec {
  const { channels, sampleRate } = recordings[0];
  const waveform = sampleRate >= WAVEFORM_HZ;
  const window = o.window ?? (waveform ? 1024 : 16);
  const hop = o.hop ?? (waveform ? Math.max(1, window / 2) : 1);
  const kinds = o.features ?? (waveform ? ['spectrum'] : ['raw']);
  const spec: FeatureSpec = { kinds, window, hop: Math.round(hop), channels, sampleRate };
  if (kinds.includes('spectrum')) {
    const maxHz = o.maxHz ?? sampleRate / 2;
    if (maxHz > sampleRate / 2) {
      throw new ThrumError(
        'BAD_USAGE',
        `--max-hz ${maxHz} is above Nyquist (${sampleRate / 2} Hz for ${sampleRate} Hz data)`,
      );
    }
    const bands = o.bands ?? Math.max(2, Math.min(32, nextPowerOfTwo(window) / 4));
    spec.spectrum = { bands, maxHz, minHz: o.minHz ?? 0, scale: o.bandScale ?? 'linear' };
  }
  if (kinds.includes('envelope')) spec.envelope = envelopeParams(sampleRate, window, o);
  return spec;
}

/** Envelope spectra up to 500 Hz hold the defect lines of shafts up to ~3000 rpm (BPFI ≈ 5-10x shaft speed). */
const ENVELOPE_MAX_HZ = 500;
const ENVELOPE_BANDS = 16;

/**
 * `envelope` defaults: band-pass [fs/8, 0.45·fs], the upper part of the measured band, where bearing-housing
 * resonances usually ring and shaft harmonics do not reach (a sensor's own resonance should lie above it); the
 * envelope spectrum up to min(500 Hz, half the band-pass width) in up to 16 linear bands of at least one FFT bin.
 */
function envelopeParams(sampleRate: number, window: number, o: TrainOptions): EnvelopeParams {
  const [bandLoHz, bandHiHz] = o.envelopeBand ?? [sampleRate / 8, 0.45 * sampleRate];
  if (bandHiHz > sampleRate / 2) {
    throw new ThrumError(
      'BAD_USAGE',
      `--envelope-band top ${bandHiHz} Hz is above Nyquist (${sampleRate / 2} Hz for ${sampleRate} Hz data)`,
    );
  }
  const maxHz = o.envelopeMaxHz ?? Math.min(ENVELOPE_MAX_HZ, (bandHiHz - bandLoHz) / 2, sampleRate / 2);
  const binHz = sampleRate / nextPowerOfTwo(window);
  const bands = o.envelopeBands ?? Math.max(1, Math.min(ENVELOPE_BANDS, Math.floor(maxHz / binHz)));
  const params: EnvelopeParams = { bandLoHz, bandHiHz, bands, maxHz, minHz: 0, scale: 'linear' };
  if (o.bearing !== undefined && o.rpm !== undefined) {
    params.defects = { shaftHz: o.rpm / 60, bearing: parseBearing(o.bearing), harmonics: 2, tolerance: 0.02 };
  }
  return params;
}
