import type { WireFormat } from '../shared/protocol/types.js';
import { createSampleEncoder, type SampleEncoder } from '../tools/sim/sample-encoder.js';
import { BENCH_CHANNELS, BENCH_SAMPLE_RATE } from './bench-bundle.js';

/** Read size of the device's file source (device/source/file-source.ts) when unpaced. */
export const CHUNK_BYTES = 65_536;
export const FRAME_SAMPLES = 32;

/** An in-memory recording as the bytes a sensor sends, cut into read-sized chunks. */
export interface Recording {
  format: WireFormat;
  /** Samples per channel (one sample = one value per channel, i.e. one csv line). */
  samples: number;
  bytes: number;
  chunks: Uint8Array[];
}

/**
 * Recordings of the simulator's signal as `thrum sim` writes it (csv: shortest float32 text per value;
 * frames: int16 with a per-frame scale, 32 samples per frame, sensor 1), made of whole repeats of one block
 * of samples. Frame sequence numbers keep counting across repeats, so a decoder sees one unbroken stream;
 * csv has no state, so its block is encoded once and its bytes reused.
 */
export class RecordingFactory {
  private readonly pieces: Record<WireFormat, Uint8Array[]> = { csv: [], frames: [] };
  private readonly encoders: Record<WireFormat, SampleEncoder>;

  constructor(readonly block: Float32Array) {
    const encoder = (format: WireFormat) =>
      createSampleEncoder({
        format,
        channels: BENCH_CHANNELS,
        sampleRate: BENCH_SAMPLE_RATE,
        timestamps: false,
        sensorId: 1,
        frameSamples: FRAME_SAMPLES,
        sampleFormat: 'int16',
      });
    this.encoders = { csv: encoder('csv'), frames: encoder('frames') };
  }

  get blockSamples(): number {
    return this.block.length / BENCH_CHANNELS;
  }

  /** `blocks` repeats of the block: blocks x blockSamples samples. */
  recording(format: WireFormat, blocks: number): Recording {
    const pieces = this.pieces[format];
    while (pieces.length < blocks) {
      if (format === 'csv' && pieces.length > 0) pieces.push(pieces[0]);
      else pieces.push(this.encoders[format].encode(this.block, pieces.length * this.blockSamples));
    }
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for (const piece of pieces.slice(0, blocks)) {
      for (let at = 0; at < piece.length; at += CHUNK_BYTES)
        chunks.push(piece.subarray(at, at + CHUNK_BYTES));
      bytes += piece.length;
    }
    return { format, samples: blocks * this.blockSamples, bytes, chunks };
  }
}
