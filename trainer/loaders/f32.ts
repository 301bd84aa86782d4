import { ThrumError } from '../../shared/errors.js';
import { defaultChannelNames, type Recording } from './recording.js';

export interface F32Options {
  channels: number;
  sampleRate: number;
  names?: string[];
}

/** Raw little-endian float32, channels interleaved, no header (e.g. the CWRU `.f32` records). */
export function parseF32(bytes: Uint8Array, file: string, options: F32Options): Recording {
  const { channels, sampleRate } = options;
  if (bytes.length % (4 * channels) !== 0) {
    throw new ThrumError(
      'BAD_DATA',
      `${file}: ${bytes.length} bytes is not a whole number of ${channels}-channel float32 samples; check --channels and --format`,
    );
  }
  const samples = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v)) {
      throw new ThrumError(
        'BAD_DATA',
        `${file}: sample ${Math.floor(i / channels)} channel ${i % channels} (byte ${i * 4}) is ${v} (NaN/Inf); clean the recording or cut it before that point`,
      );
    }
    samples[i] = v;
  }
  const names = options.names ?? defaultChannelNames(channels);
  if (names.length !== channels) {
    throw new ThrumError('BAD_DATA', `${file}: ${names.length} channel names given for ${channels} channels`);
  }
  return {
    samples,
    channels,
    sampleRate,
    names,
    source: file,
    notes: [`${channels} channel(s) of float32 at ${sampleRate} Hz`],
  };
}
