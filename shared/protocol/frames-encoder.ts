import { ThrumError } from '../errors.js';
import { cobsEncode, cobsMaxEncodedLength } from './cobs.js';
import { crc32 } from './crc32.js';
import {
  CRC_BYTES,
  FORMAT_FLOAT32,
  FORMAT_INT16,
  FRAME_VERSION,
  HEADER_BYTES,
  MAX_FRAME_BYTES,
  OFFSET_CHANNELS,
  OFFSET_FORMAT,
  OFFSET_SAMPLE_COUNT,
  OFFSET_SCALE,
  OFFSET_SENSOR_ID,
  OFFSET_SEQ,
  OFFSET_VERSION,
  packetLength,
} from './frame-layout.js';
import { MAX_CHANNELS } from './limits.js';

export interface FrameInput {
  /** 0..255. */
  sensorId: number;
  /** u32 frame counter; the decoder reports gaps in it per sensor. */
  seq: number;
  channels: number;
  /** Interleaved by channel: samples[i * channels + c]; at most 65535 per channel. */
  samples: ArrayLike<number>;
  format: 'int16' | 'float32';
  /**
   * `int16` only: value of one count (value = int16 * scale). Default: the frame's largest |value| / 32767.
   * Values beyond ±32767 counts saturate, like the ADC they model.
   */
  scale?: number;
}

const fail = (message: string): never => {
  throw new ThrumError('BAD_DATA', `encodeFrame: ${message}`);
};

function checkInt(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    fail(`${name} must be an integer in 0..${max}, got ${value}`);
}

/** One frame: the COBS-encoded packet followed by its 0x00 delimiter. */
export function encodeFrame(frame: FrameInput): Uint8Array {
  const { sensorId, seq, channels, samples } = frame;
  checkInt('sensorId', sensorId, 255);
  checkInt('seq', seq, 0xffffffff);
  checkInt('channels', channels, MAX_CHANNELS);
  if (channels === 0) fail('channels must be at least 1');
  if (samples.length % channels !== 0)
    fail(`${samples.length} values are not whole samples of ${channels} channels`);
  const sampleCount = samples.length / channels;
  checkInt('samples per channel', sampleCount, 0xffff);
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(Math.fround(samples[i])))
      fail(`sample ${i} (${samples[i]}) is not a finite float32`);
  }
  if (frame.format !== 'int16' && frame.format !== 'float32')
    fail(`format must be int16 or float32, got ${frame.format}`);
  const format = frame.format === 'int16' ? FORMAT_INT16 : FORMAT_FLOAT32;
  const packet = new Uint8Array(packetLength(format, samples.length));
  const view = new DataView(packet.buffer);
  packet[OFFSET_VERSION] = FRAME_VERSION;
  packet[OFFSET_SENSOR_ID] = sensorId;
  view.setUint32(OFFSET_SEQ, seq, true);
  packet[OFFSET_CHANNELS] = channels;
  view.setUint16(OFFSET_SAMPLE_COUNT, sampleCount, true);
  packet[OFFSET_FORMAT] = format;
  if (format === FORMAT_INT16) {
    const scale = Math.fround(frame.scale ?? autoScale(samples));
    if (!(scale > 0 && scale < Number.POSITIVE_INFINITY))
      fail(`scale must be a positive float32, got ${frame.scale}`);
    view.setFloat32(OFFSET_SCALE, scale, true);
    const at = HEADER_BYTES[FORMAT_INT16];
    for (let i = 0; i < samples.length; i++) {
      const counts = Math.max(-32768, Math.min(32767, Math.round(samples[i] / scale)));
      view.setInt16(at + 2 * i, counts, true);
    }
  } else {
    const at = HEADER_BYTES[FORMAT_FLOAT32];
    for (let i = 0; i < samples.length; i++) view.setFloat32(at + 4 * i, samples[i], true);
  }
  const crcAt = packet.length - CRC_BYTES;
  view.setUint32(crcAt, crc32(packet, 0, crcAt), true);
  const out = new Uint8Array(cobsMaxEncodedLength(packet.length) + 1);
  const end = cobsEncode(packet, out);
  if (end > MAX_FRAME_BYTES) {
    fail(
      `frame is ${end} bytes encoded, over the ${MAX_FRAME_BYTES}-byte limit: send fewer samples per frame`,
    );
  }
  out[end] = 0;
  return out.slice(0, end + 1);
}

function autoScale(samples: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  // Floored at the smallest normal float32 so a frame of tiny values still gets a non-zero scale.
  return peak > 0 ? Math.max(peak / 32767, 2 ** -126) : 1;
}
