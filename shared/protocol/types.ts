/** Samples decoded from the wire, interleaved by channel: samples[i * channels + c]. */
export interface SampleBatch {
  /** Sensor id: from the frame header (`frames`) or the decoder's option (`csv`). */
  sensorId: number;
  /** Frame sequence number (`frames` only). */
  seq?: number;
  channels: number;
  samples: Float32Array;
  /** Timestamp in microseconds of the first sample, when the sender provides one. */
  timestampUs?: number;
}

export type DecodeEvent =
  | { type: 'samples'; batch: SampleBatch }
  /** A malformed line or frame was skipped; `bytes` is how much input it covered. */
  | { type: 'bad'; reason: string; bytes: number }
  /** Frames went missing between two good frames of one sensor. */
  | { type: 'gap'; sensorId: number; expectedSeq: number; receivedSeq: number; missingFrames: number };

export interface DecoderCounters {
  bytes: number;
  samples: number;
  /** Good lines (csv) or frames (frames). */
  records: number;
  bad: number;
  gaps: number;
  missingFrames: number;
}

/** A streaming decoder: any chunk boundaries, never throws, bounded memory. */
export interface StreamDecoder {
  push(chunk: Uint8Array): DecodeEvent[];
  readonly counters: Readonly<DecoderCounters>;
}

export type WireFormat = 'csv' | 'frames';
