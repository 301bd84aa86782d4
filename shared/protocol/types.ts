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
  | GapEvent;

/**
 * Samples went missing between two good records of one sensor: frames (a sequence gap, `frames`) or lines (a
 * timestamp jump, `csv` with `t_us` and a known sample rate). Reported before the samples after it, so no
 * window is cut across it.
 */
export type GapEvent = SequenceGap | TimestampGap;

/**
 * Frames went missing between two good frames of one sensor. `reset` marks a sequence number that went
 * backwards (the sender restarted): how much was lost is unknown, so `missingFrames` is 0.
 */
export interface SequenceGap {
  type: 'gap';
  sensorId: number;
  expectedSeq: number;
  receivedSeq: number;
  missingFrames: number;
  reset?: boolean;
}

/**
 * A csv `t_us` timestamp jumped by more than 1.5 sample periods (`missingSamples` lines were lost), or went
 * backwards (`reset`: the sender restarted its clock; `missingSamples` is 0).
 */
export interface TimestampGap {
  type: 'gap';
  sensorId: number;
  /** Where the next sample was due (previous timestamp + one period) and the timestamp that came, µs. */
  expectedUs: number;
  receivedUs: number;
  missingSamples: number;
  reset?: boolean;
}

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
