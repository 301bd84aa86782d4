import { encodeCsv, encodeFrame, type WireFormat } from '../../shared/protocol/index.js';

/** Turns blocks of interleaved samples into wire bytes, keeping state (frame sequence) across blocks. */
export interface SampleEncoder {
  /** `firstSample` is the per-channel index of the block's first sample since the start of the stream. */
  encode(samples: Float32Array, firstSample: number): Uint8Array;
  /** Blocks must be a multiple of this many samples (except the last), so frames never depend on block size. */
  readonly granularity: number;
}

export interface EncoderSettings {
  format: WireFormat;
  channels: number;
  sampleRate: number;
  /** csv: a leading µs timestamp per line, from the sample index (not the wall clock: output stays reproducible). */
  timestamps: boolean;
  sensorId: number;
  frameSamples: number;
  sampleFormat: 'int16' | 'float32';
  /** int16: value of one count; undefined = each frame's peak / 32767. */
  scale?: number;
}

const textEncoder = new TextEncoder();

export function createSampleEncoder(s: EncoderSettings): SampleEncoder {
  if (s.format === 'csv') {
    return {
      granularity: 1,
      encode(samples, firstSample) {
        const rows = samples.length / s.channels;
        const timestampsUs = s.timestamps
          ? Array.from({ length: rows }, (_, i) => Math.round(((firstSample + i) * 1e6) / s.sampleRate))
          : undefined;
        return textEncoder.encode(encodeCsv(samples, s.channels, { timestampsUs }));
      },
    };
  }
  let seq = 0;
  return {
    granularity: s.frameSamples,
    encode(samples) {
      const perFrame = s.frameSamples * s.channels;
      const frames: Uint8Array[] = [];
      let bytes = 0;
      for (let at = 0; at < samples.length; at += perFrame) {
        const frame = encodeFrame({
          sensorId: s.sensorId,
          seq,
          channels: s.channels,
          samples: samples.subarray(at, Math.min(at + perFrame, samples.length)),
          format: s.sampleFormat,
          scale: s.scale,
        });
        seq = (seq + 1) >>> 0;
        frames.push(frame);
        bytes += frame.length;
      }
      const out = new Uint8Array(bytes);
      let offset = 0;
      for (const f of frames) {
        out.set(f, offset);
        offset += f.length;
      }
      return out;
    },
  };
}
