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
  /**
   * Frames went missing between two good frames of one sensor. `reset` marks a sequence number that went
   * backwards (the sender restarted): how much was lost is unknown, so `missingFrames` is 0. From `csv` with
   * timestamps: a timestamp earlier than the previous line's (`timestampsUs`; both seqs are then the count of
   * good lines so far).
   */
  | {
      type: 'gap';
      sensorId: number;
      expectedSeq: number;
      receivedSeq: number;
      missingFrames: number;
      reset?: boolean;
      timestampsUs?: { previous: number; received: number };
    };

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

/** The decoders of this folder: a StreamDecoder that can also be told the input ended. */
export interface WireDecoder extends StreamDecoder {
  /** End of input: decodes what is buffered as if a delimiter followed (a last line without newline). */
  flush(): DecodeEvent[];
  /** Bytes held between pushes; never more than the line/packet bound. */
  readonly bufferedBytes: number;
}

export type WireFormat = 'csv' | 'frames';
