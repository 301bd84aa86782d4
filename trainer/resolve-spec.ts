import { ThrumError } from '../shared/errors.js';
import type { FeatureSpec } from '../shared/features/spec.js';
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
 * hop 1 of raw standardized samples.
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
  return spec;
}
