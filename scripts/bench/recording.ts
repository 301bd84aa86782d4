import type { WireFormat } from '../../shared/protocol/types.js';
import { createSampleEncoder } from '../sim/sample-encoder.js';
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
 * `samples` samples of the simulator's signal as `thrum sim` writes them (csv: shortest float32 text per value;
 * frames: int16 with a per-frame scale, 32 samples per frame, sensor 1). The signal is `block` repeated; frame
 * sequence numbers keep counting across repeats, so the decoder sees one unbroken stream.
 */
export function encodeRecording(format: WireFormat, block: Float32Array, samples: number): Recording {
  const encoder = createSampleEncoder({
    format,
    channels: BENCH_CHANNELS,
    sampleRate: BENCH_SAMPLE_RATE,
    timestamps: false,
    sensorId: 1,
    frameSamples: FRAME_SAMPLES,
    sampleFormat: 'int16',
  });
  const blockSamples = block.length / BENCH_CHANNELS;
  const pieces: Uint8Array[] = [];
  // csv has no state: the block is encoded once and its bytes repeated.
  const csvBlock = format === 'csv' ? encoder.encode(block, 0) : undefined;
  for (let done = 0; done < samples; done += blockSamples) {
    const n = Math.min(blockSamples, samples - done);
    const part = block.subarray(0, n * BENCH_CHANNELS);
    if (csvBlock) pieces.push(n === blockSamples ? csvBlock : encoder.encode(part, done));
    else pieces.push(encoder.encode(part, done));
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += CHUNK_BYTES) chunks.push(piece.subarray(at, at + CHUNK_BYTES));
    bytes += piece.length;
  }
  return { format, samples, bytes, chunks };
}
