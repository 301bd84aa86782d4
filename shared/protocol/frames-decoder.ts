import { cobsDecode } from './cobs.js';
import { zeroCounters } from './counters.js';
import { crc32 } from './crc32.js';
import { DelimitedSplitter } from './delimited-splitter.js';
import {
  CRC_BYTES,
  FORMAT_FLOAT32,
  FORMAT_INT16,
  FRAME_VERSION,
  HEADER_BYTES,
  MAX_FRAME_BYTES,
  MIN_PACKET_BYTES,
  OFFSET_CHANNELS,
  OFFSET_FORMAT,
  OFFSET_SAMPLE_COUNT,
  OFFSET_SCALE,
  OFFSET_SENSOR_ID,
  OFFSET_SEQ,
  OFFSET_VERSION,
  packetLength,
} from './frame-layout.js';
import { checkOption } from './limits.js';
import { SequenceTracker } from './sequence-tracker.js';
import type { DecodeEvent, WireDecoder } from './types.js';

export interface FramesDecoderOptions {
  /** Longest COBS-encoded frame, delimiter excluded; longer ones are dropped unbuffered and counted. Default 65536. */
  maxFrameBytes?: number;
}

/**
 * Decodes COBS frames delimited by 0x00 (layout in frame-layout.ts). One batch per good frame; a frame that
 * fails COBS, CRC, version, format or length checks is counted as bad and decoding resumes after the next
 * 0x00. Empty records (0x00 0x00) are idle fill and ignored. Frames with zero samples only advance the
 * sequence. Sequence gaps and resets are reported per sensor before that frame's samples.
 */
export class FramesDecoder implements WireDecoder {
  readonly counters = zeroCounters();
  private readonly splitter: DelimitedSplitter;
  private readonly packet: Uint8Array;
  private readonly view: DataView;
  private readonly sequences = new SequenceTracker();
  private delimiterBytes = 1;
  private events: DecodeEvent[] = [];

  constructor(options: FramesDecoderOptions = {}) {
    checkOption('maxFrameBytes', options.maxFrameBytes, MIN_PACKET_BYTES + 1, 2 ** 30);
    const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.splitter = new DelimitedSplitter(0, maxFrameBytes);
    this.packet = new Uint8Array(maxFrameBytes);
    this.view = new DataView(this.packet.buffer);
  }

  get bufferedBytes(): number {
    return this.splitter.bufferedBytes;
  }

  push(chunk: Uint8Array): DecodeEvent[] {
    this.counters.bytes += chunk.length;
    this.splitter.push(chunk, this.onFrame, this.onOverflow);
    return this.drain();
  }

  flush(): DecodeEvent[] {
    this.delimiterBytes = 0;
    this.splitter.flush(this.onFrame, this.onOverflow);
    this.delimiterBytes = 1;
    return this.drain();
  }

  private readonly onOverflow = (bytes: number): void => {
    this.bad(`frame longer than ${this.packet.length} bytes`, bytes);
  };

  private readonly onFrame = (bytes: Uint8Array, start: number, end: number): void => {
    if (start === end) return;
    const length = cobsDecode(bytes, start, end, this.packet);
    const problem = length < 0 ? 'bad COBS encoding' : this.check(length);
    const covered = end - start + this.delimiterBytes;
    if (problem !== undefined) this.bad(problem, covered);
    else this.accept(covered);
  };

  /** Why the decoded packet of `length` bytes is unusable, or undefined when it is good. */
  private check(length: number): string | undefined {
    const { packet, view } = this;
    if (length < MIN_PACKET_BYTES) return `frame of ${length} bytes is shorter than a header`;
    if (crc32(packet, 0, length - CRC_BYTES) !== view.getUint32(length - CRC_BYTES, true))
      return 'CRC mismatch';
    if (packet[OFFSET_VERSION] !== FRAME_VERSION) return `unsupported version ${packet[OFFSET_VERSION]}`;
    const format = packet[OFFSET_FORMAT];
    if (format !== FORMAT_INT16 && format !== FORMAT_FLOAT32) return `unknown sample format ${format}`;
    if (packet[OFFSET_CHANNELS] === 0) return 'zero channels';
    const expected = packetLength(
      format,
      packet[OFFSET_CHANNELS] * view.getUint16(OFFSET_SAMPLE_COUNT, true),
    );
    if (length !== expected) return `length ${length} does not match the header (expected ${expected})`;
    if (format === FORMAT_INT16) {
      const scale = view.getFloat32(OFFSET_SCALE, true);
      if (!(scale > 0 && scale < Number.POSITIVE_INFINITY)) return `scale ${scale} is not a positive number`;
    }
    return undefined;
  }

  private accept(covered: number): void {
    const { packet, view } = this;
    const sensorId = packet[OFFSET_SENSOR_ID];
    const seq = view.getUint32(OFFSET_SEQ, true);
    const channels = packet[OFFSET_CHANNELS];
    const sampleCount = view.getUint16(OFFSET_SAMPLE_COUNT, true);
    const samples = new Float32Array(channels * sampleCount);
    if (packet[OFFSET_FORMAT] === FORMAT_INT16) {
      const scale = view.getFloat32(OFFSET_SCALE, true);
      const at = HEADER_BYTES[FORMAT_INT16];
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(at + 2 * i, true) * scale;
    } else {
      const at = HEADER_BYTES[FORMAT_FLOAT32];
      let finite = true;
      for (let i = 0; i < samples.length; i++) {
        const value = view.getFloat32(at + 4 * i, true);
        finite &&= Number.isFinite(value);
        samples[i] = value;
      }
      if (!finite) {
        this.bad('non-finite sample (NaN or infinity)', covered);
        return;
      }
    }
    const gap = this.sequences.next(sensorId, seq);
    if (gap) {
      this.counters.gaps++;
      this.counters.missingFrames += gap.missingFrames;
      this.events.push(gap);
    }
    this.counters.records++;
    this.counters.samples += sampleCount;
    if (samples.length > 0)
      this.events.push({ type: 'samples', batch: { sensorId, seq, channels, samples } });
  }

  private bad(reason: string, bytes: number): void {
    this.counters.bad++;
    this.events.push({ type: 'bad', reason, bytes });
  }

  private drain(): DecodeEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}
